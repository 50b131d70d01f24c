package io.conveyor.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;

import io.conveyor.client.BatchOptions;
import io.conveyor.client.BatchTask;
import io.conveyor.client.ConveyorClient;
import io.conveyor.client.InvalidTaskException;
import io.conveyor.client.Problem;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code conveyor batch submit|get|wait}: many tasks submitted and followed together (README, "Batches"). */
@Command(
        name = "batch",
        description = "Submit a batch of tasks from a JSON Lines file, show a batch, or wait for it.",
        mixinStandardHelpOptions = true,
        subcommands = {BatchCommand.Submit.class, BatchCommand.Get.class, BatchCommand.Wait.class})
final class BatchCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(
            name = "submit",
            description = {
                "Submit the tasks of a JSON Lines file as one batch, one task a line: "
                        + "{\"type\":\"noop\",\"payload\":{...},\"options\":{...}} (blank lines are skipped). All or "
                        + "nothing: a bad line or a task the gateway refuses submits none.",
                "Exit codes with --wait: 0 every task SUCCEEDED, 1 any ended DEAD or CANCELLED, 7 not done in time."
            },
            mixinStandardHelpOptions = true)
    static final class Submit implements Callable<Integer> {

        @ParentCommand
        BatchCommand parent;

        @Parameters(
                index = "0",
                paramLabel = "@FILE",
                description = "The tasks: @file (JSON Lines), @- for standard input.")
        String file;

        @Option(
                names = "--on-complete",
                paramLabel = "JSON|@FILE",
                description = "A task, {\"type\":...,\"payload\":{...}}, submitted once every task of the batch is "
                        + "done: JSON text, @file, or @- (unless the tasks come from there).")
        String onComplete;

        @Option(
                names = "--key",
                paramLabel = "KEY",
                description = "Idempotency key: the same key within 24 h answers the first batch again. Default: a "
                        + "new one per run.")
        String key;

        @Option(
                names = "--wait",
                paramLabel = "DURATION",
                arity = "0..1",
                parameterConsumer = OptionalWait.class,
                description = "Wait until every task is done, up to DURATION (default " + OptionalWait.DEFAULT_TEXT
                        + "); exit code by the outcome.")
        Duration wait;

        @Option(
                names = "--progress",
                negatable = true,
                description = "With --wait: show the tasks done and the counts by status while waiting, on standard "
                        + "error (default: when it is a terminal).")
        Boolean progress;

        @Override
        public Integer call() {
            ConveyorCommand conveyor = parent.conveyor;
            if (wait != null && !wait.isPositive()) {
                throw new UsageException("--wait must be longer than 0");
            }
            if (!file.startsWith("@")) {
                throw new UsageException(
                        "give the tasks as @FILE (JSON Lines), or @- for standard input; got '" + file + "'");
            }
            String name = file.substring(1);
            BatchLines.Parsed tasks =
                    BatchLines.parse(Payloads.text("tasks", name, conveyor.stdin()), Payloads.source(name));
            BatchOptions options = BatchOptions.defaults();
            if (onComplete != null) {
                if (onComplete.equals("@-") && name.equals("-")) {
                    throw new UsageException(
                            "--on-complete: standard input holds the tasks; give the task as JSON " + "or @file");
                }
                BatchTask then;
                try {
                    then = BatchLines.task(Payloads.read("--on-complete", onComplete, conveyor.stdin()));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--on-complete: " + e.getMessage());
                }
                options = options.withOnComplete(then);
            }
            if (key != null) {
                options = options.withIdempotencyKey(key);
            }
            ConveyorClient client = conveyor.client();
            BatchAccepted accepted;
            try {
                accepted = client.submitBatch(tasks.tasks(), options);
            } catch (InvalidTaskException e) {
                refused(e.problem(), tasks, conveyor.err());
                return ExitCodes.USAGE;
            }
            if (wait == null) {
                conveyor.printer().batchAccepted(accepted);
                if (!conveyor.printer().json()) {
                    conveyor.note("`conveyor batch wait " + accepted.id() + "` waits for it");
                }
                return ExitCodes.OK;
            }
            BatchView view = await(client, accepted.id(), wait, conveyor.progress(progress));
            conveyor.printer().batch(view);
            return outcome(conveyor, view, wait);
        }
    }

    /**
     * {@code --wait [DURATION]}: takes the next argument when it is a duration, else waits {@value #DEFAULT_TEXT}, so
     * that {@code --wait @tasks.jsonl} waits the default and reads the file.
     */
    static final class OptionalWait implements IParameterConsumer {

        static final String DEFAULT_TEXT = "10m";

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            Duration value = Durations.parse(DEFAULT_TEXT);
            if (!args.isEmpty()) {
                try {
                    value = Durations.parse(args.peek());
                    args.pop();
                } catch (CommandLine.TypeConversionException e) {
                    // Not a duration: the next argument is the file or another option.
                }
            }
            argSpec.setValue(value);
        }
    }

    @Command(
            name = "get",
            description = "Show a batch: its size, whether it is done, its tasks' counts by status.",
            mixinStandardHelpOptions = true)
    static final class Get implements Callable<Integer> {

        @ParentCommand
        BatchCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The batch id.")
        String id;

        @Override
        public Integer call() {
            ConveyorCommand conveyor = parent.conveyor;
            Optional<BatchView> view = conveyor.client().getBatch(id);
            if (view.isEmpty()) {
                conveyor.note("no batch " + id + " (unknown, past its retention, or another client's)");
                return ExitCodes.NOT_FOUND;
            }
            conveyor.printer().batch(view.get());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "wait",
            description = "Wait until every task of a batch is done: exit 0 all SUCCEEDED, 1 any DEAD or CANCELLED, "
                    + "7 not done in time.",
            mixinStandardHelpOptions = true)
    static final class Wait implements Callable<Integer> {

        @ParentCommand
        BatchCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The batch id.")
        String id;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                converter = Durations.class,
                defaultValue = "10m",
                description = "How long to wait (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(
                names = "--progress",
                negatable = true,
                description = "Show the tasks done and the counts by status while waiting, on standard error "
                        + "(default: when it is a terminal).")
        Boolean progress;

        @Override
        public Integer call() {
            ConveyorCommand conveyor = parent.conveyor;
            if (!timeout.isPositive()) {
                throw new UsageException("--timeout must be longer than 0");
            }
            BatchView view = await(conveyor.client(), id, timeout, conveyor.progress(progress));
            conveyor.printer().batch(view);
            return outcome(conveyor, view, timeout);
        }
    }

    /**
     * Waits up to {@code timeout} for the batch to be done and answers the last view. Without a display, one {@link
     * ConveyorClient#awaitBatch} (long polls of up to 60 s); with one, long polls of {@link Waits#TICK}, each
     * redrawing it.
     */
    static BatchView await(ConveyorClient client, String id, Duration timeout, Progress progress) {
        if (!progress.enabled()) {
            return client.awaitBatch(id, timeout);
        }
        long started = System.nanoTime();
        Duration elapsed = Duration.ZERO;
        try {
            while (true) {
                Duration remaining = timeout.minus(elapsed);
                BatchView last = client.awaitBatch(id, remaining.compareTo(Waits.TICK) < 0 ? remaining : Waits.TICK);
                elapsed = Duration.ofNanos(System.nanoTime() - started);
                progress.show(last, elapsed);
                if (last.done() || elapsed.compareTo(timeout) >= 0) {
                    return last;
                }
            }
        } finally {
            progress.done();
        }
    }

    /** Tells the user that the wait ran out and how to wait again; answers the exit code for the view. */
    static int outcome(ConveyorCommand conveyor, BatchView view, Duration waited) {
        if (!view.done()) {
            conveyor.note("batch " + view.id() + " has " + view.remaining() + " of " + view.size()
                    + " tasks not done after " + Progress.elapsed(waited) + "; `conveyor batch wait " + view.id()
                    + "` waits again");
        }
        return ExitCodes.of(view);
    }

    /** A batch the gateway refused (400/422): the problem, then each bad task by its line and index. */
    static void refused(Problem problem, BatchLines.Parsed tasks, PrintWriter err) {
        err.println(Cli.headline(problem));
        for (Problem.FieldError error : problem.errors()) {
            err.println("  " + where(error.index(), tasks) + error.field() + ": " + error.message());
        }
        err.println("Nothing was submitted.");
    }

    /** {@code line 3 (task 2): }, {@code on-complete: }, or nothing for an error of the request as a whole. */
    static String where(Integer index, BatchLines.Parsed tasks) {
        if (index == null) {
            return "";
        }
        if (index < 0) {
            return "--on-complete: ";
        }
        Integer line = tasks.lineOf(index);
        return line == null ? "task " + index + ": " : "line " + line + " (task " + index + "): ";
    }
}
