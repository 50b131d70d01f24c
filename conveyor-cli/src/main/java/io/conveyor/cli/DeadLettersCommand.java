package io.conveyor.cli;

import java.util.concurrent.Callable;

import io.conveyor.client.ReplayedDeadLetters;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code conveyor dead-letters list|replay|discard}: the dead tasks (list: reader; replay, discard: operator). */
@Command(
        name = "dead-letters",
        description = "List, replay or discard dead tasks.",
        mixinStandardHelpOptions = true,
        subcommands = {DeadLettersCommand.List.class, DeadLettersCommand.Replay.class, DeadLettersCommand.Discard.class
        })
final class DeadLettersCommand implements Callable<Integer> {

    @ParentCommand
    ConveyorCommand conveyor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "list", description = "Dead tasks, oldest first (reader role).", mixinStandardHelpOptions = true)
    static final class List implements Callable<Integer> {

        @ParentCommand
        DeadLettersCommand parent;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only dead tasks of this type.")
        String type;

        @Option(names = "--limit", paramLabel = "N", description = "At most N (1..1000, default 50).")
        Integer limit;

        @Override
        public Integer call() {
            ConveyorCommand conveyor = parent.conveyor;
            conveyor.printer().deadLetters(conveyor.client().deadLetters(type, limit));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "replay",
            description = "Send a dead task (or with --all every one that can run) back to its queue, attempts reset "
                    + "(operator role).",
            mixinStandardHelpOptions = true)
    static final class Replay implements Callable<Integer> {

        @ParentCommand
        DeadLettersCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The dead letter's id.")
        String id;

        @Option(names = "--all", description = "Every dead task that can run; exit 6 if some cannot.")
        boolean all;

        @Option(names = "--type", paramLabel = "TYPE", description = "With --all: only dead tasks of this type.")
        String type;

        @Override
        public Integer call() {
            if (all == (id != null)) {
                throw new UsageException("dead-letters replay: name one ID, or --all");
            }
            if (type != null && !all) {
                throw new UsageException("dead-letters replay: --type goes with --all");
            }
            ConveyorCommand conveyor = parent.conveyor;
            if (id != null) {
                conveyor.client().replayDeadLetter(id);
                conveyor.printer().replayed(id);
                return ExitCodes.OK;
            }
            ReplayedDeadLetters replayed = conveyor.client().replayDeadLetters(type);
            conveyor.printer().replayed(replayed);
            return replayed.unroutable().isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    @Command(
            name = "discard",
            description = "Remove a dead letter and its state for good (operator role).",
            mixinStandardHelpOptions = true)
    static final class Discard implements Callable<Integer> {

        @ParentCommand
        DeadLettersCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id, as listed.")
        String id;

        @Override
        public Integer call() {
            ConveyorCommand conveyor = parent.conveyor;
            conveyor.client().discardDeadLetter(id);
            conveyor.printer().discarded(id);
            return ExitCodes.OK;
        }
    }
}
