package io.conveyor.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.Rabbitmqctl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While RabbitMQ is down the gateway refuses honestly and quickly, everything stays alive, and when it returns
 * every app reconnects by itself: no restart, no lost work. Stops the local broker with rabbitmqctl stop_app and
 * always starts it again.
 */
class BrokerOutageTest {

    @org.junit.jupiter.api.AfterAll
    static void forgetState() {
        App.forgetState();
    }

    private static final Duration START = Duration.ofSeconds(60);
    private static final String NOOP = "{\"type\":\"noop\"}";
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final List<App> apps = new ArrayList<>();

    @AfterEach
    void stopApps() {
        apps.forEach(App::close);
        try (LocalBroker broker = new LocalBroker()) {
            broker.purgeAll();
        }
    }

    @Test
    void refusesDuringAnOutageAndRecoversWithoutARestart() {
        App gateway = start(App.gateway(Map.of()));
        App worker = start(App.worker("outage-early", Map.of("CONVEYOR_WORKER_TYPES", "noop"), SucceededLog.ENABLE));
        gateway.awaitReady(START);
        worker.awaitReady(START);
        App late;
        try {
            Rabbitmqctl.stopApp();

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> gateway.postJson("/api/v1/tasks", NOOP).statusCode() == 503);
            long started = System.nanoTime();
            HttpResponse<String> refused = gateway.postJson("/api/v1/tasks", NOOP);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, refused.statusCode());
            assertTrue(millis < 3_000, "503 took " + millis + " ms");
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals(
                    "application/problem+json",
                    refused.headers().firstValue("Content-Type").orElse(""));

            assertEquals(503, gateway.get("/q/health/ready").statusCode());
            assertEquals(200, gateway.get("/q/health/live").statusCode());
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> worker.get("/q/health/ready").statusCode() == 503);
            assertEquals(200, worker.get("/q/health/live").statusCode());

            // A worker started while the broker is down waits for it instead of exiting.
            late = start(App.worker("outage-late", Map.of("CONVEYOR_WORKER_TYPES", "noop"), SucceededLog.ENABLE));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(late::alive);
            assertTrue(late.log().contains("not reachable"), "the late worker says it is waiting for the broker");
        } finally {
            Rabbitmqctl.startApp();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> late.get("/q/health/ready").statusCode() == 200);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> accepted = gateway.postJson("/api/v1/tasks", NOOP);
            assertEquals(202, accepted.statusCode(), accepted.body());
            Matcher m = ID.matcher(accepted.body());
            assertTrue(m.find());
            ids.add(m.group(1));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> done = new ArrayList<>(SucceededLog.ids(worker));
            done.addAll(SucceededLog.ids(late));
            return done.containsAll(ids);
        });
    }

    private App start(App app) {
        apps.add(app);
        return app;
    }
}
