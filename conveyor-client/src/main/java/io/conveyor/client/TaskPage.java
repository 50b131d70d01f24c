package io.conveyor.client;

import java.util.List;

import io.conveyor.model.TaskView;

/**
 * One page of {@code GET /api/v1/tasks}: task views, newest first, and the opaque cursor of the next page (null on
 * the last). Pass {@code nextCursor} back to {@link ConveyorClient#list} for the next page.
 */
public record TaskPage(List<TaskView> items, String nextCursor) {

    public TaskPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }
}
