package io.conveyor.cli;

import java.util.concurrent.Callable;

import io.conveyor.client.TaskPage;
import io.conveyor.model.TaskStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code conveyor list}: one page of tasks, newest first. */
@Command(
        name = "list",
        description = "List tasks, newest first (a producer sees its own); one page at a time.",
        mixinStandardHelpOptions = true)
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only these: ${COMPLETION-CANDIDATES}.")
    TaskStatus status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only tasks of this type.")
    String type;

    @Option(names = "--limit", paramLabel = "N", description = "At most N (1..100, default 20).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next page, as the previous one named it.")
    String cursor;

    @Override
    public Integer call() {
        TaskPage page = conveyor.client().list(status, type, limit, cursor);
        conveyor.printer().page(page);
        if (page.hasNext() && !conveyor.printer().json()) {
            conveyor.note("more: add --cursor " + page.nextCursor());
        }
        return ExitCodes.OK;
    }
}
