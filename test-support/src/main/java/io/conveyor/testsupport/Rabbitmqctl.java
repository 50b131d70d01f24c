package io.conveyor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.testcontainers.containers.Container;

import static org.awaitility.Awaitility.await;

/**
 * The broker's own CLI, for failures a client cannot cause: stopping and starting the broker application, and
 * suspending one queue's process so that the broker stops confirming what is published to it; and its plugin CLI.
 * Local services: the CLIs run as local processes. Containers ({@link TestServices}): they run inside the broker's
 * container, so every test that uses them works in both.
 */
public final class Rabbitmqctl {

    private Rabbitmqctl() {}

    public static void stopApp() {
        run("stop_app");
    }

    /** Starts the broker application again and waits until it accepts connections. */
    public static void startApp() {
        run("start_app");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    try (LocalBroker probe = new LocalBroker()) {
                        return probe.channel().isOpen();
                    }
                });
    }

    /**
     * Suspends the process of {@code queue} (in the tests' vhost): messages routed to it are neither stored nor
     * confirmed until {@link #resumeQueue}, exactly as while its disk stalls. Always resume in a {@code finally}.
     */
    public static void suspendQueue(String queue) {
        eval("sys:suspend(" + queuePid(queue) + ").");
    }

    /** Resumes a queue {@link #suspendQueue suspended}; what was published meanwhile is then stored and confirmed. */
    public static void resumeQueue(String queue) {
        eval("sys:resume(" + queuePid(queue) + ").");
    }

    private static String queuePid(String queue) {
        // The queue's process (a quorum queue's Ra server, a classic queue's process) as rabbit's own API finds it,
        // the same on RabbitMQ 3.x and 4.x.
        return "begin {ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(<<\"" + LocalBroker.virtualHost()
                + "\">>, queue, <<\"" + queue + "\">>)), amqqueue:get_pid(Q) end";
    }

    private static void eval(String expression) {
        run("eval", expression);
    }

    /** Waits up to 30 s until the broker lists a connection whose client properties mention {@code client}. */
    public static void awaitConnectionOf(String client) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> run("list_connections", "--quiet", "--no-table-headers", "client_properties")
                        .contains(client));
    }

    public static String run(String... args) {
        return runTool("rabbitmqctl", args);
    }

    /** Runs {@code rabbitmq-plugins}, RabbitMQ's plugin CLI, which comes with {@code rabbitmqctl}. */
    public static String plugins(String... args) {
        return runTool("rabbitmq-plugins", args);
    }

    private static String runTool(String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        TestServices.resolve();
        Optional<String> container = TestServices.rabbitmqContainer();
        return container.isPresent() ? runInContainer(container.get(), command) : runLocally(tool, command);
    }

    private static String runInContainer(String container, List<String> command) {
        // coreutils' timeout bounds a CLI that hangs, as waitFor does for a local one.
        List<String> bounded = new ArrayList<>(List.of("timeout", "60"));
        bounded.addAll(command);
        Container.ExecResult result = ServiceContainers.exec(container, bounded.toArray(String[]::new));
        String out = result.getStdout() + result.getStderr();
        if (result.getExitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command)
                    + (result.getExitCode() == 124 ? " did not finish in 60 s" : " failed")
                    + " in the broker's container: " + out);
        }
        return out;
    }

    private static String runLocally(String tool, List<String> command) {
        try {
            // Output goes to a file, so that a rabbitmqctl that hangs is bounded by waitFor and then killed.
            Path output = Files.createTempFile(tool, ".log");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                boolean exited = p.waitFor(60, TimeUnit.SECONDS);
                if (!exited) {
                    p.destroyForcibly();
                }
                String out = Files.readString(output, StandardCharsets.UTF_8);
                if (!exited || p.exitValue() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", command) + (exited ? " failed: " : " did not finish in 60 s: ") + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("These tests need " + tool + " on the PATH (it comes with RabbitMQ)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
