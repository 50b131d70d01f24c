package io.conveyor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;

/** The broker's own CLI, to stop and start the broker application for outage tests. */
final class Rabbitmqctl {

    private Rabbitmqctl() {}

    static void stopApp() {
        run("stop_app");
    }

    /** Starts the broker application again and waits until it accepts connections. */
    static void startApp() {
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

    static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("rabbitmqctl is needed for system tests (it comes with RabbitMQ)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
