package io.conveyor.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conveyor on scripts/cluster.sh's cluster (issue "Beyond one machine"): a gateway and two workers connect through
 * {@code RABBITMQ_ADDRESSES} with credentials from files and to Redis through its sentinels, while a producer submits
 * a steady flow of tasks with idempotency keys. SIGKILL of the node that leads the task queue, then of the Redis
 * master: the gateway answers at most a short burst of 503s, and every accepted task completes.
 */
@Tag(Cluster.TAG)
class ClusterFailoverTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String QUEUE = "conveyor.task.sleep";
    private static final String TASK = "{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT0.05S\"}}";
    /** How long a failover may refuse submissions: the broker's election or Sentinel's down-after plus failover. */
    private static final Duration BURST = Duration.ofSeconds(20);

    @TempDir
    static Path secrets;

    private static Map<String, String> env;

    private final List<App> apps = new ArrayList<>();

    @BeforeAll
    static void clusterEnvironment() throws IOException {
        Map<String, String> cluster = Cluster.env();
        env = Cluster.appEnv(cluster);
        // Credentials from files, as Kubernetes mounts a Secret; they win over the RABBITMQ_USERNAME/PASSWORD (guest)
        // the tests' own settings pass on.
        env.put(
                "RABBITMQ_USERNAME_FILE",
                Files.writeString(secrets.resolve("username"), cluster.get("RABBITMQ_USERNAME") + "\n")
                        .toString());
        env.put(
                "RABBITMQ_PASSWORD_FILE",
                Files.writeString(secrets.resolve("password"), cluster.get("RABBITMQ_PASSWORD") + "\n")
                        .toString());
        env.put("CONVEYOR_WORKER_TYPES", "sleep");
    }

    @AfterEach
    void stopApps() {
        apps.forEach(App::close);
        apps.clear();
    }

    private App start(App app) {
        apps.add(app);
        return app;
    }

    private App[] startSystem(String name) {
        App gateway = start(App.gateway(env));
        App one = start(App.worker(name + "-1", env));
        App two = start(App.worker(name + "-2", env));
        gateway.awaitReady(START);
        one.awaitReady(START);
        two.awaitReady(START);
        return new App[] {gateway, one, two};
    }

    @Test
    void killingTheLeaderOfATaskQueueLosesNoAcceptedTask() throws IOException, InterruptedException {
        App[] system = startSystem("leader-kill");
        App gateway = system[0];
        assertEquals(3, members(QUEUE), "CONVEYOR_QUORUM_REPLICAS=3: the task queue has a replica on each node");
        assertEquals(3, members("conveyor.retry.1s"), "and so do the retry tiers");
        String victim;
        long killedAt;
        SteadyProducer producer = new SteadyProducer(List.of(gateway), TASK, 40);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> producer.acceptedCount() >= 100);
            victim = Cluster.leader(QUEUE);
            killedAt = System.currentTimeMillis();
            log("kill -9 %s, the leader of %s", victim, QUEUE);
            Cluster.kill(victim);
            int before = producer.acceptedCount();
            // Accepting again, on the two nodes left, with a new leader elected.
            await().atMost(BURST).until(() -> producer.acceptedCount() >= before + 200);
        } finally {
            producer.stop(Duration.ofSeconds(60));
        }
        String newLeader = Cluster.leader(QUEUE);
        Cluster.start(victim);

        assertEquals(List.of(), producer.unexpected(), "answers other than 202 and 503");
        assertRefusalsWereABurst(producer, killedAt);
        assertNotEquals(victim, newLeader, "the queue has a new leader");
        assertAllSucceeded(gateway, producer.accepted());
        log(
                "Leader kill: %d accepted, %d refused (503), %d unanswered; all SUCCEEDED",
                producer.acceptedCount(),
                producer.refusedAt().size(),
                producer.unansweredAt().size());
    }

    @Test
    void killingTheRedisMasterLosesNoAcceptedTask() {
        App[] system = startSystem("redis-kill");
        App gateway = system[0];
        long killedAt;
        SteadyProducer producer = new SteadyProducer(List.of(gateway), TASK, 40);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> producer.acceptedCount() >= 100);
            killedAt = System.currentTimeMillis();
            log("kill -9 the Redis master: %s", Cluster.kill("redis-master").strip());
            int before = producer.acceptedCount();
            await().atMost(BURST.multipliedBy(2)).until(() -> producer.acceptedCount() >= before + 200);
        } finally {
            producer.stop(Duration.ofSeconds(60));
        }
        Cluster.start("redis");

        assertEquals(List.of(), producer.unexpected(), "answers other than 202, 503 and 409 (key in progress)");
        // Refusals: keyed submissions need the state store; Sentinel notices the dead master after its down-after
        // period and promotes the replica.
        assertRefusalsWereABurst(producer, killedAt);
        assertAllSucceeded(gateway, producer.accepted());
        log(
                "Redis master kill: %d accepted, %d refused (503), %d unanswered; all SUCCEEDED",
                producer.acceptedCount(),
                producer.refusedAt().size(),
                producer.unansweredAt().size());
    }

    /** How many nodes hold a replica of the quorum queue {@code queue}, from the management API. */
    private static int members(String queue) throws IOException, InterruptedException {
        Map<String, String> cluster = Cluster.env();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(cluster.get("RABBITMQ_MANAGEMENT_URL") + "/api/queues/%2F/" + queue))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((cluster.get("RABBITMQ_USERNAME") + ":"
                                                        + cluster.get("RABBITMQ_PASSWORD"))
                                                .getBytes(StandardCharsets.UTF_8)))
                .build();
        String body = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher members = Pattern.compile("\"members\":\\[([^\\]]*)\\]").matcher(body);
        assertTrue(members.find(), "no members in " + body);
        return members.group(1).split(",").length;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[cluster] " + format + "%n", args);
    }

    /** Every 503 fell within {@link #BURST} after the fault, and none came before it. */
    private static void assertRefusalsWereABurst(SteadyProducer producer, long faultAt) {
        for (long at : producer.refusedAt()) {
            assertTrue(at >= faultAt - 1_000, "a 503 before the fault, " + (faultAt - at) + " ms");
            assertTrue(at <= faultAt + BURST.toMillis(), "a 503 " + (at - faultAt) + " ms after the fault");
        }
        long last =
                producer.refusedAt().stream().mapToLong(Long::longValue).max().orElse(faultAt);
        log("503s: %d, the last %d ms after the fault", producer.refusedAt().size(), last - faultAt);
    }

    private static void assertAllSucceeded(App gateway, Set<String> accepted) {
        assertTrue(accepted.size() >= 300, "accepted " + accepted.size());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertEquals(
                        Map.of("SUCCEEDED", accepted.size()),
                        SteadyProducer.statuses(gateway, accepted),
                        () -> "not yet: " + SteadyProducer.notYet(gateway, accepted, "SUCCEEDED", 5)));
    }
}
