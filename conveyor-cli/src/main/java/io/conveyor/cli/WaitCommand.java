package io.conveyor.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.conveyor.model.TaskView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code conveyor wait ID}: waits for a task to finish; the exit code tells the outcome. */
@Command(
        name = "wait",
        description = "Wait for a task to finish and show it: exit 0 SUCCEEDED, 1 DEAD or CANCELLED, 7 not finished.",
        mixinStandardHelpOptions = true)
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
    String id;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Durations.class,
            defaultValue = "5m",
            description = "How long to wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show the status while waiting, on standard error (default: when it is a terminal).")
    Boolean progress;

    @Override
    public Integer call() {
        if (!timeout.isPositive()) {
            throw new UsageException("--timeout must be longer than 0");
        }
        TaskView view = Waits.await(conveyor.client(), id, timeout, conveyor.progress(progress));
        conveyor.printer().view(view);
        return Waits.outcome(conveyor, view, timeout);
    }
}
