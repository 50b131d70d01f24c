package io.conveyor.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.conveyor.client.ConveyorClient;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code conveyor}: the top command. Holds what every subcommand shares: the gateway's URL and API key (options,
 * else {@code CONVEYOR_URL} and {@code CONVEYOR_API_KEY}), the output format, and the one client built from them.
 */
@Command(
        name = "conveyor",
        mixinStandardHelpOptions = true,
        versionProvider = ConveyorCommand.Version.class,
        description =
                "Submits, reads, awaits, lists and cancels Conveyor tasks, submits and follows batches, and handles "
                        + "the dead letters.",
        subcommands = {
            SubmitCommand.class,
            GetCommand.class,
            WaitCommand.class,
            ListCommand.class,
            CancelCommand.class,
            BatchCommand.class,
            DeadLettersCommand.class,
            TypesCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  done; for wait and submit --wait: the task SUCCEEDED (for a batch: every task)",
            "  1  the awaited task ended DEAD or CANCELLED (for a batch: any task)",
            "  2  bad arguments or payload, or the gateway's 400/422",
            "  3  the gateway is unreachable, timed out, or 503/429 after retries",
            "  4  not found (404)",
            "  5  no key, unknown key or not allowed (401/403)",
            "  6  any other refusal or error (409, 413, 5xx)",
            "  7  the wait ran out before the task (or every task of the batch) finished",
            "",
            "Environment: CONVEYOR_URL (default " + ConveyorCommand.DEFAULT_URL + "), CONVEYOR_API_KEY, and",
            "CONVEYOR_MAX_WAIT where the gateway's is below 60s (the longest long poll it allows)."
        })
public final class ConveyorCommand implements Callable<Integer>, AutoCloseable {

    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(
            names = "--url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "The gateway's root URL (default: $CONVEYOR_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            scope = ScopeType.INHERIT,
            description =
                    "The API key, sent as Authorization: Bearer (default: $CONVEYOR_API_KEY). The variable keeps it "
                            + "out of the process list.")
    String apiKey;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            scope = ScopeType.INHERIT,
            description = "table (default) or json: the API's JSON, for scripts.")
    Output output = Output.TABLE;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final InputStream stdin;
    private final boolean stderrTerminal;
    private ConveyorClient client;

    /**
     * @param env            the environment ({@code CONVEYOR_URL}, {@code CONVEYOR_API_KEY})
     * @param stdin          what {@code --payload @-} reads
     * @param stderrTerminal whether standard error is a terminal: a wait then shows its progress there
     */
    public ConveyorCommand(Map<String, String> env, InputStream stdin, boolean stderrTerminal) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
        this.stderrTerminal = stderrTerminal;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The gateway's URL: {@code --url}, else {@code CONVEYOR_URL}, else {@value #DEFAULT_URL}. */
    String baseUrl() {
        if (url != null && !url.isBlank()) {
            return url.strip();
        }
        String fromEnv = env.get("CONVEYOR_URL");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : DEFAULT_URL;
    }

    /** The API key: {@code --api-key}, else {@code CONVEYOR_API_KEY}; null for none (a gateway in protected mode). */
    String key() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        String fromEnv = env.get("CONVEYOR_API_KEY");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : null;
    }

    /**
     * The gateway's {@code CONVEYOR_MAX_WAIT} when the environment sets it (the gateway's may be below 60 s): the
     * longest long poll a wait asks for, since a longer one is the gateway's 400.
     */
    private Duration maxWait() {
        String value = env.get("CONVEYOR_MAX_WAIT");
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Durations.parse(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new UsageException("CONVEYOR_MAX_WAIT: " + e.getMessage());
        }
        if (!wait.isPositive()) {
            throw new UsageException("CONVEYOR_MAX_WAIT must be longer than 0");
        }
        return wait;
    }

    /** The client, built on first use; {@link #close} closes it. */
    ConveyorClient client() {
        if (client == null) {
            ConveyorClient.Builder builder;
            try {
                builder = ConveyorClient.builder().baseUrl(baseUrl()).apiKey(key());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--url / CONVEYOR_URL: " + e.getMessage());
            }
            Duration maxWait = maxWait();
            if (maxWait != null) {
                builder.longPollCap(maxWait);
            }
            client = builder.build();
        }
        return client;
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), output);
    }

    InputStream stdin() {
        return stdin;
    }

    /** The progress display of a wait: {@code --progress}/{@code --no-progress}, else on when stderr is a terminal. */
    Progress progress(Boolean forced) {
        boolean on = forced != null ? forced : stderrTerminal;
        return on ? new Progress(spec.commandLine().getErr()) : Progress.off();
    }

    /** Standard error: notes, errors and the progress display. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A note for the user on standard error. */
    void note(String text) {
        spec.commandLine().getErr().println("conveyor: " + text);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ConveyorCommand.class.getPackage().getImplementationVersion();
            return new String[] {"conveyor " + (version == null ? "(development build)" : version)};
        }
    }
}
