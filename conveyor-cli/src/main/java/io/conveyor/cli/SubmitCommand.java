package io.conveyor.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.client.ConveyorClient;
import io.conveyor.client.SubmitOptions;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code conveyor submit TYPE}: submits a task. With {@code --wait}, the gateway holds the answer until the task
 * finished ({@code Prefer: wait}, up to 60 s) and the client long-polls whatever part of the wait is left beyond
 * that; with the progress display on, it submits and then long-polls in short steps to redraw it.
 */
@Command(
        name = "submit",
        description = "Submit a task of TYPE; prints its id and status, or with --wait its outcome.",
        mixinStandardHelpOptions = true)
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The task type (conveyor types lists them).")
    String type;

    @Option(
            names = {"-p", "--payload"},
            paramLabel = "JSON|@FILE",
            description = "The payload: JSON text, @file to read a file, @- for standard input. None: no payload.")
    String payload;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "Wait up to this long (30s, 5m) for the outcome; exit code by the outcome.")
    Duration wait;

    @Option(
            names = "--key",
            paramLabel = "KEY",
            description = "Idempotency key: the same key within 24 h answers the first task again. Default: a "
                    + "new one per run.")
    String key;

    @Option(
            names = "--delay",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "Run it not before this long from now (at most 7d).")
    Duration delay;

    @Option(names = "--priority", paramLabel = "0..9", description = "The broker's message priority.")
    Integer priority;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before it is dead-lettered (1..25).")
    Integer maxAttempts;

    @Option(
            names = "--callback-url",
            paramLabel = "URL",
            description = "POST the outcome, signed, to this https URL once the task ends (needs a webhook secret).")
    String callbackUrl;

    @Option(
            names = "--progress",
            negatable = true,
            description = "With --wait: show the status while waiting, on standard error (default: when it is a "
                    + "terminal).")
    Boolean progress;

    @Override
    public Integer call() {
        JsonNode body = payload == null ? null : Payloads.read(payload, conveyor.stdin());
        if (wait != null && !wait.isPositive()) {
            throw new UsageException("--wait must be longer than 0");
        }
        SubmitOptions options = SubmitOptions.defaults();
        if (key != null) {
            options = options.withIdempotencyKey(key);
        }
        if (delay != null) {
            options = options.withDelay(delay);
        }
        if (priority != null) {
            options = options.withPriority(priority);
        }
        if (maxAttempts != null) {
            options = options.withMaxAttempts(maxAttempts);
        }
        if (callbackUrl != null) {
            options = options.withCallbackUrl(callbackUrl);
        }
        ConveyorClient client = conveyor.client();
        Printer printer = conveyor.printer();
        if (wait == null) {
            printer.accepted(client.submit(type, body, options));
            return ExitCodes.OK;
        }
        Progress display = conveyor.progress(progress);
        TaskView view;
        if (display.enabled()) {
            TaskAccepted accepted = client.submit(type, body, options);
            view = Waits.await(client, accepted.id(), wait, display);
        } else {
            view = client.submitAndWait(type, body, options, wait);
        }
        printer.view(view);
        return Waits.outcome(conveyor, view, wait);
    }
}
