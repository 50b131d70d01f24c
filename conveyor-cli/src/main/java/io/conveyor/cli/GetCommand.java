package io.conveyor.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.conveyor.model.TaskView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code conveyor get ID}: a task's current view; exit 0 whatever its status, 4 if there is no such task. */
@Command(
        name = "get",
        description = "Show a task: status, attempts, result or last error.",
        mixinStandardHelpOptions = true)
final class GetCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
        Optional<TaskView> view = conveyor.client().get(id);
        if (view.isEmpty()) {
            conveyor.note("no task " + id + " (unknown, past its retention, or another client's)");
            return ExitCodes.NOT_FOUND;
        }
        conveyor.printer().view(view.get());
        return ExitCodes.OK;
    }
}
