package io.conveyor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code conveyor cancel ID}: cancels a task not yet running; 6 (409) if it runs or finished. */
@Command(
        name = "cancel",
        description = "Cancel a task that has not started (queued, delayed or waiting for a retry).",
        mixinStandardHelpOptions = true)
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
        conveyor.printer().view(conveyor.client().cancel(id));
        return ExitCodes.OK;
    }
}
