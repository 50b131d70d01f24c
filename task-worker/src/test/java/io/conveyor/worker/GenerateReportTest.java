package io.conveyor.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate_report counts, per type and status, exactly the task records created within its window. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class GenerateReportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MINUTE = 60_000;
    private static final List<String> reports = new CopyOnWriteArrayList<>();
    private static final List<String> unindexed = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @org.junit.jupiter.api.AfterAll
    static void removeUnindexed() {
        // Index entries without a record are not removed by forgetting tasks: remove them by name.
        unindexed.forEach(id -> services.redis().call("ZREM", StateKeys.index(null, null), id));
    }

    @Inject
    OutcomeRecorder outcomes;

    @ConfigProperty(name = "conveyor-handlers.artifact-dir")
    Path artifactDir;

    /** One report's rows as {@code type,status → count}, in file order. */
    private record Counts(Map<String, Long> rows) {
        long of(String type, String status) {
            return rows.getOrDefault(type + "," + status, 0L);
        }
    }

    @AfterEach
    void deleteReports() throws IOException {
        for (String id : reports) {
            Files.deleteIfExists(artifactDir.resolve(id + ".csv"));
        }
    }

    @Test
    void countsTheOutcomesOfTasksRunMeanwhile() throws IOException {
        Counts before = report("PT1H");
        List<String> noops = new ArrayList<>();
        List<String> fails = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            noops.add(track(aTask().ofType("noop").publishTo(services.broker())));
        }
        for (int i = 0; i < 2; i++) {
            fails.add(track(
                    aTask().ofType("fail").withPayload("{\"permanent\":true}").publishTo(services.broker())));
        }
        await().atMost(WAIT)
                .until(() -> noops.stream()
                                .allMatch(id -> "SUCCEEDED"
                                        .equals(services.redis().task(id).get("status")))
                        && fails.stream()
                                .allMatch(id ->
                                        "DEAD".equals(services.redis().task(id).get("status"))));

        Counts after = report("PT1H");

        assertEquals(3, after.of("noop", "SUCCEEDED") - before.of("noop", "SUCCEEDED"));
        assertEquals(2, after.of("fail", "DEAD") - before.of("fail", "DEAD"));
        assertEquals(before.of("noop", "DEAD"), after.of("noop", "DEAD"));
        assertTrue(after.of("generate_report", "RUNNING") >= 1, "a report counts itself, running");
    }

    @Test
    void countsExactlyTheRecordsCreatedWithinTheWindowAcrossPages() throws IOException {
        String type = "probe_" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        // 1500 in one millisecond: a page of 1000 ends inside a run of equal scores.
        seed(type, "SUCCEEDED", 1500, i -> now - 10 * MINUTE);
        seed(type, "DEAD", 700, i -> now - 5 * MINUTE + i);
        // Created two hours ago: outside PT1H, inside PT3H.
        seed(type, "SUCCEEDED", 1, i -> now - 120 * MINUTE);
        // An index entry whose record expired: skipped, not counted, not fatal.
        String expired = "expired-" + UUID.randomUUID();
        unindexed.add(expired);
        services.redis().call("ZADD", StateKeys.index(null, null), String.valueOf(now - MINUTE), expired);

        Counts hour = report("PT1H");
        Counts threeHours = report("PT3H");

        assertEquals(1500, hour.of(type, "SUCCEEDED"));
        assertEquals(700, hour.of(type, "DEAD"));
        assertEquals(1501, threeHours.of(type, "SUCCEEDED"));
        assertEquals(700, threeHours.of(type, "DEAD"));
        assertNull(hour.rows().get(type + ",RUNNING"));
    }

    @Test
    void deadLettersAWindowOverThirtyOneDays() {
        var task = aTask().ofType("generate_report").withPayload("{\"window\":\"P32D\"}");
        track(task.id());
        task.publishTo(services.broker());

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertEquals("poison", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("window"));
    }

    /** Runs a report and checks its file: named after the task, a header, CRLF lines, sorted rows as many as said. */
    private Counts report(String window) throws IOException {
        var task = aTask().ofType("generate_report").withPayload("{\"window\":\"" + window + "\"}");
        track(task.id());
        reports.add(task.id());
        task.publishTo(services.broker());
        List<TaskOutcome> history = outcomes.await(task.id(), TaskStatus.SUCCEEDED, WAIT);
        ReportWritten result = (ReportWritten) history.get(history.size() - 1).result();

        assertEquals(task.id() + ".csv", result.artifact());
        String csv = Files.readString(artifactDir.resolve(result.artifact()), StandardCharsets.UTF_8);
        assertTrue(csv.endsWith("\r\n"), "RFC 4180 lines end in CRLF");
        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals("type,status,count", lines.get(0));
        assertEquals(result.rows(), lines.size() - 1);
        List<String[]> rows = lines.subList(1, lines.size()).stream()
                .map(line -> line.split(","))
                .toList();
        List<String[]> sorted = rows.stream()
                .sorted(Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[1]))
                .toList();
        assertEquals(sorted, rows, "rows sorted by type, then status");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String[] row : rows) {
            assertEquals(3, row.length);
            assertNull(counts.put(row[0] + "," + row[1], Long.parseLong(row[2])), "one row per type and status");
        }
        return new Counts(counts);
    }

    /** Task records as the state store keeps them: a hash and an entry in the all-tasks index by createdAt. */
    private static void seed(String type, String status, int count, LongUnaryOperator createdAt) {
        List<String> index = new ArrayList<>(List.of("ZADD", StateKeys.index(null, null)));
        for (int i = 0; i < count; i++) {
            String id = track("probe-" + UUID.randomUUID());
            String created = String.valueOf(createdAt.applyAsLong(i));
            services.redis()
                    .call(
                            "HSET",
                            StateKeys.task(id),
                            "id",
                            id,
                            "type",
                            type,
                            "status",
                            status,
                            "attempts",
                            "1",
                            "maxAttempts",
                            "3",
                            "createdAt",
                            created,
                            "updatedAt",
                            created);
            index.add(created);
            index.add(id);
        }
        services.redis().call(index.toArray(String[]::new));
    }

    private static String track(String id) {
        services.track(id);
        return id;
    }
}
