package io.conveyor.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

import io.conveyor.client.ConveyorException;
import io.conveyor.client.Problem;
import io.conveyor.client.UnauthorizedException;

import picocli.CommandLine;

/** Builds and runs the command line: parsing, the error messages and the exit codes of {@link ExitCodes}. */
public final class Cli {

    private Cli() {}

    /**
     * Runs one {@code conveyor} command line and answers its exit code; nothing is left open.
     *
     * @param env            the environment ({@code CONVEYOR_URL}, {@code CONVEYOR_API_KEY})
     * @param stdin          what {@code --payload @-} reads
     * @param out            results
     * @param err            errors, notes and the progress display
     * @param stderrTerminal whether {@code err} is a terminal (shows a wait's progress)
     */
    public static int run(
            Map<String, String> env,
            InputStream stdin,
            PrintWriter out,
            PrintWriter err,
            boolean stderrTerminal,
            String... args) {
        try (ConveyorCommand conveyor = new ConveyorCommand(env, stdin, stderrTerminal)) {
            CommandLine commandLine = commandLine(conveyor);
            commandLine.setOut(out);
            commandLine.setErr(err);
            int code = commandLine.execute(args);
            out.flush();
            err.flush();
            return code;
        }
    }

    /** The command line of {@code conveyor}, with its error handling. */
    static CommandLine commandLine(ConveyorCommand conveyor) {
        CommandLine commandLine = new CommandLine(conveyor);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // "@file" is --payload's, not picocli's argument file.
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> failure(e, line, conveyor));
        return commandLine;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        err.println("conveyor: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help'.");
        return ExitCodes.USAGE;
    }

    private static int failure(Exception e, CommandLine line, ConveyorCommand conveyor) {
        PrintWriter err = line.getErr();
        if (e instanceof ConveyorException failed) {
            describe(failed, conveyor, err);
            return ExitCodes.of(failed);
        }
        if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            err.println("conveyor: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        err.println("conveyor: unexpected error: " + e);
        return ExitCodes.ERROR;
    }

    /** The first line of a problem's report: {@code conveyor: 400 Title: detail}. */
    static String headline(Problem problem) {
        StringBuilder line = new StringBuilder("conveyor: ").append(problem.status());
        if (problem.title() != null) {
            line.append(' ').append(problem.title());
        }
        if (problem.detail() != null && !problem.detail().isBlank()) {
            line.append(": ").append(problem.detail());
        }
        return line.toString();
    }

    /** The gateway's problem detail, each invalid field on its own line, and a hint where one helps. */
    private static void describe(ConveyorException e, ConveyorCommand conveyor, PrintWriter err) {
        Problem problem = e.problem();
        if (Problem.UNREACHABLE.equals(problem.type())) {
            err.println("conveyor: cannot reach the gateway at " + conveyor.baseUrl() + ": "
                    + (e.getCause() == null ? problem.detail() : e.getCause()));
            err.println("Is it running there? Set CONVEYOR_URL or --url.");
            return;
        }
        err.println(headline(problem));
        problem.errors().forEach(field -> err.println("  " + field.field() + ": " + field.message()));
        e.retryAfter().ifPresent(after -> err.println("The gateway asks to retry after " + Progress.elapsed(after)));
        if (e instanceof UnauthorizedException && problem.status() == 401 && conveyor.key() == null) {
            err.println("No API key was sent: set CONVEYOR_API_KEY or --api-key.");
        }
    }
}
