package io.conveyor.gateway.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import jakarta.validation.constraints.NotNull;

import io.conveyor.model.TaskView;

/** One page of task views, newest first, and the opaque cursor of the next page (null on the last). */
public record TaskPage(@NotNull List<TaskView> items, String nextCursor) {

    /** Position after which the next page starts: the last item's creation time and id. */
    public record Cursor(long score, String id) {

        public String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((score + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** Null for a cursor that is not one of ours. */
        public static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = plain.indexOf(':');
                return new Cursor(Long.parseLong(plain.substring(0, colon)), plain.substring(colon + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return null;
            }
        }
    }

    static TaskPage of(List<TaskView> views, List<String> ids, List<Long> scores, int limit) {
        List<TaskView> items = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < views.size() && i < limit; i++) {
            last = i;
            if (views.get(i) != null) {
                items.add(views.get(i));
            }
        }
        String next = views.size() > limit && last >= 0 ? new Cursor(scores.get(last), ids.get(last)).encode() : null;
        return new TaskPage(items.stream().filter(Objects::nonNull).toList(), next);
    }
}
