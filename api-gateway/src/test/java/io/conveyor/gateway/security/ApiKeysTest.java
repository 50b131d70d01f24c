package io.conveyor.gateway.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.Submissions;
import io.conveyor.gateway.WatchedFiles;
import io.conveyor.gateway.quota.QuotaLimiter;
import io.conveyor.model.Digests;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** With a keys file: every API call needs a key, roles decide what it may do, and producers own their tasks. */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class ApiKeysTest {

    static final String ALICE = "alice-key-" + UUID.randomUUID();
    static final String BOB = "bob-key-" + UUID.randomUUID();
    static final String READER = "reader-key-" + UUID.randomUUID();
    static final String OPERATOR = "operator-key-" + UUID.randomUUID();
    static final String LATE = "late-key-" + UUID.randomUUID();
    static final String TIGHT = "tight-key-" + UUID.randomUUID();
    static final Path FILE = Path.of("target", "api-keys-test", "keys");

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Writes the keys file and points the gateway at it. */
    public static class WithKeysFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(List.of(
                    "# clients of the ApiKeysTest",
                    line("alice", "producer", ALICE),
                    line("bob", "producer", BOB) + "  # a comment after a client",
                    "",
                    line("auditor", "reader", READER),
                    line("ops", "operator", OPERATOR),
                    line("tight", "producer", TIGHT) + " rate=1/s"));
            return Map.of(
                    "conveyor.security.keys-file",
                    FILE.toAbsolutePath().toString(),
                    "conveyor.security.reload-interval",
                    "PT0.2S");
        }
    }

    static String line(String name, String roles, String key) {
        return name + " " + roles + " sha256:" + Digests.sha256(key);
    }

    static void write(List<String> lines) {
        WatchedFiles.write(FILE, lines);
    }

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    String submit(String key) {
        return services.track(Submissions.accepted(as(key), "{\"type\":\"noop\"}"));
    }

    @Test
    void withoutAKeyEveryApiEndpointIs401() {
        String any = "00000000-0000-0000-0000-000000000001";
        for (String[] call : new String[][] {
            {"POST", "/api/v1/tasks"},
            {"GET", "/api/v1/tasks"},
            {"GET", "/api/v1/tasks?limit=abc"},
            {"GET", "/api/v1/tasks/" + any},
            {"DELETE", "/api/v1/tasks/" + any},
            {"GET", "/api/v1/tasks/" + any + "/artifact"},
            {"GET", "/api/v1/task-types"},
            {"GET", "/api/v1/dead-letters"},
            {"POST", "/api/v1/dead-letters/replay"},
            {"POST", "/api/v1/dead-letters/" + any + "/replay"},
            {"DELETE", "/api/v1/dead-letters/" + any},
            {"POST", "/async-task"}
        }) {
            given().contentType(ContentType.JSON)
                    .body("{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}")
                    .request(call[0], call[1])
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("status", equalTo(401))
                    .body("detail", containsString("Authorization: Bearer"));
        }
    }

    @Test
    void anUnknownKeyIs401AndNothingIsPublished() {
        as("not-a-key")
                .contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("The API key is not valid"));
        await().untilAsserted(() -> assertEquals(0, services.broker().messageCount("conveyor.task.noop")));
    }

    @Test
    void healthStaysOpenAndMetricsAndOpenApiAreOpenByDefault() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("apiKey"));
    }

    @Test
    void aTaskRecordsItsClientAndOnlyItsOwnerOrAReaderSeesIt() {
        String id = submit(ALICE);
        as(ALICE).get("/api/v1/tasks/" + id).then().statusCode(200).body("client", equalTo("alice"));
        as(READER).get("/api/v1/tasks/" + id).then().statusCode(200).body("client", equalTo("alice"));
        as(OPERATOR).get("/api/v1/tasks/" + id).then().statusCode(200);
        as(BOB).get("/api/v1/tasks/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(id));
        // A long-poll on another's task answers at once, as for an unknown id.
        as(BOB).get("/api/v1/tasks/" + id + "?wait=PT30S").then().statusCode(404);
    }

    @Test
    void aProducerListsOnlyItsOwnTasksAndAReaderListsAll() {
        String alices = submit(ALICE);
        String bobs = submit(BOB);
        as(ALICE)
                .get("/api/v1/tasks?limit=100")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(alices))
                .body("items.id", not(hasItem(bobs)))
                .body("items.client", everyItem(equalTo("alice")));
        as(BOB).get("/api/v1/tasks?type=noop&status=QUEUED&limit=100")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(bobs))
                .body("items.id", not(hasItem(alices)));
        as(READER)
                .get("/api/v1/tasks?limit=100")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(alices))
                .body("items.id", hasItem(bobs));
    }

    @Test
    void aProducerCancelsOnlyItsOwnAndAnOperatorAny() {
        String alices = submit(ALICE);
        as(BOB).delete("/api/v1/tasks/" + alices).then().statusCode(404);
        as(READER).delete("/api/v1/tasks/" + alices).then().statusCode(403).contentType("application/problem+json");
        as(ALICE).get("/api/v1/tasks/" + alices).then().body("status", equalTo("QUEUED"));
        as(ALICE).delete("/api/v1/tasks/" + alices).then().statusCode(200).body("status", equalTo("CANCELLED"));
        String another = submit(ALICE);
        as(OPERATOR).delete("/api/v1/tasks/" + another).then().statusCode(200).body("status", equalTo("CANCELLED"));
    }

    @Test
    void aReaderCannotSubmitOrReplayButReadsDeadLetters() {
        as(READER)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("auditor"));
        as(READER).get("/api/v1/dead-letters").then().statusCode(200);
        as(READER).post("/api/v1/dead-letters/replay").then().statusCode(403);
        as(READER)
                .delete("/api/v1/dead-letters/00000000-0000-0000-0000-000000000001")
                .then()
                .statusCode(403);
        as(ALICE).get("/api/v1/dead-letters").then().statusCode(403);
        // An operator may: the unknown dead letter is a 404, not a refusal.
        as(OPERATOR)
                .post("/api/v1/dead-letters/00000000-0000-0000-0000-000000000001/replay")
                .then()
                .statusCode(404);
    }

    private static String submitWithKey(String apiKey, String idempotencyKey) {
        return Submissions.accepted(as(apiKey).header("Idempotency-Key", idempotencyKey), "{\"type\":\"noop\"}");
    }

    @Test
    void idempotencyKeysAreScopedPerClient() {
        String key = "shared-" + UUID.randomUUID();
        services.trackKey(StateKeys.idempotency("alice", key));
        services.trackKey(StateKeys.idempotency("bob", key));
        String first = submitWithKey(ALICE, key);
        String again = submitWithKey(ALICE, key);
        String bobs = submitWithKey(BOB, key);
        services.track(List.of(first, bobs));
        assertEquals(first, again);
        assertNotEquals(first, bobs);
        as(BOB).get("/api/v1/tasks/" + bobs).then().statusCode(200).body("client", equalTo("bob"));
    }

    @Test
    void theSeedRouteNeedsAProducerKeyAndRecordsTheClient() {
        String id = as(ALICE)
                .contentType(ContentType.JSON)
                .body("{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}")
                .post("/async-task")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        services.track(id);
        services.broker().purge("conveyor.task.send_email");
        as(ALICE).get("/api/v1/tasks/" + id).then().statusCode(200).body("client", equalTo("alice"));
    }

    @Test
    void anEditedKeysFileIsReloadedAndABrokenEditKeepsTheOldKeys() {
        as(LATE).get("/api/v1/task-types").then().statusCode(401);
        List<String> lines = List.of(
                line("alice", "producer", ALICE),
                line("bob", "producer", BOB),
                line("auditor", "reader", READER),
                line("ops", "operator", OPERATOR),
                line("tight", "producer", TIGHT) + " rate=1/s",
                line("late", "reader", LATE));
        try {
            write(lines);
            await().untilAsserted(
                            () -> as(LATE).get("/api/v1/task-types").then().statusCode(200));
            write(List.of(line("alice", "producer", ALICE), "late reader sha256:nothex"));
            // The broken file is not used: the late client keeps working, and so does everyone else.
            await().during(Duration.ofMillis(600))
                    .untilAsserted(
                            () -> as(LATE).get("/api/v1/task-types").then().statusCode(200));
            as(BOB).get("/api/v1/task-types").then().statusCode(200);
        } finally {
            write(List.of(
                    line("alice", "producer", ALICE),
                    line("bob", "producer", BOB),
                    line("auditor", "reader", READER),
                    line("ops", "operator", OPERATOR),
                    line("tight", "producer", TIGHT) + " rate=1/s"));
            await().untilAsserted(
                            () -> as(LATE).get("/api/v1/task-types").then().statusCode(401));
        }
    }

    @Test
    void aBatchCostsItsTasksAgainstTheClientsRate() {
        services.trackKey(QuotaLimiter.key("tight"));
        services.redis().call("DEL", QuotaLimiter.key("tight"));
        // rate=1/s, a burst of 2: the request takes one token, its other 5 tasks leave the bucket 4 in debt.
        Response batch = as(TIGHT)
                .contentType(ContentType.JSON)
                .body("{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\"},{\"type\":\"noop\"},"
                        + "{\"type\":\"noop\"},{\"type\":\"noop\"},{\"type\":\"noop\"}]}")
                .post("/api/v1/batches");
        assertEquals(202, batch.statusCode(), batch.asString());
        services.trackBatch(batch.path("id"));
        services.track(batch.<List<String>>path("taskIds"));

        as(TIGHT)
                .get("/api/v1/task-types")
                .then()
                .statusCode(429)
                .header("Retry-After", "5")
                .body("detail", containsString("tight"));
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndNothingIsPublished() {
        services.trackKey(QuotaLimiter.key("tight"));
        services.redis().call("DEL", QuotaLimiter.key("tight"));
        // rate=1/s: a burst of 2, then refusals until a token comes back.
        as(TIGHT)
                .get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .header("RateLimit-Policy", "\"client\";q=2;w=2")
                .header("RateLimit", startsWith("\"client\";r=1;"));
        as(TIGHT).get("/api/v1/task-types").then().statusCode(200);
        as(TIGHT)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .header("RateLimit", startsWith("\"client\";r=0;t="))
                .body("detail", containsString("tight"));
        assertEquals(0, services.broker().messageCount("conveyor.task.noop"));
        // Other clients are not affected, and a token comes back.
        as(ALICE).get("/api/v1/task-types").then().statusCode(200);
        await().untilAsserted(() -> as(TIGHT).get("/api/v1/task-types").then().statusCode(200));
    }
}
