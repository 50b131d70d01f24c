package io.conveyor.gateway.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.conveyor.gateway.security.ApiKeysTest.ALICE;
import static io.conveyor.gateway.security.ApiKeysTest.BOB;
import static io.conveyor.gateway.security.ApiKeysTest.READER;
import static io.conveyor.gateway.security.ApiKeysTest.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batches are owned like tasks: a producer sees its own, a reader every one, another producer none (404). */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class BatchOwnershipTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Test
    void aProducerSeesOnlyItsOwnBatchesAndItsTasksAreItsOwn() {
        Response accepted = as(ALICE)
                .contentType(ContentType.JSON)
                .body("{\"tasks\":[{\"type\":\"noop\"}]}")
                .post("/api/v1/batches");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = services.trackBatch(accepted.path("id"));
        List<String> taskIds = accepted.path("taskIds");
        services.track(taskIds);

        as(ALICE).get("/api/v1/batches/" + id).then().statusCode(200).body("client", equalTo("alice"));
        as(READER).get("/api/v1/batches/" + id).then().statusCode(200);
        as(BOB).get("/api/v1/batches/" + id).then().statusCode(404);
        // Answered at once, not after the wait: waiting would tell when another client's batch is done.
        as(BOB).get("/api/v1/batches/" + id + "?wait=PT30S").then().statusCode(404);
        as(BOB).get("/api/v1/tasks/" + taskIds.get(0)).then().statusCode(404);
        as(ALICE).get("/api/v1/tasks/" + taskIds.get(0)).then().statusCode(200).body("client", equalTo("alice"));
        // A reader may read batches, not submit them.
        as(READER)
                .contentType(ContentType.JSON)
                .body("{\"tasks\":[{\"type\":\"noop\"}]}")
                .post("/api/v1/batches")
                .then()
                .statusCode(403);
    }

    @Test
    void oneKeyInTwoClientsMakesTwoBatches() {
        String key = "shared-batch-key-" + System.nanoTime();
        services.trackKey(io.conveyor.model.state.StateKeys.idempotency("alice", key));
        services.trackKey(io.conveyor.model.state.StateKeys.idempotency("bob", key));
        String a = submitWithKey(ALICE, key);
        String b = submitWithKey(BOB, key);
        org.junit.jupiter.api.Assertions.assertNotEquals(a, b);
    }

    private static String submitWithKey(String apiKey, String key) {
        Response accepted = as(apiKey)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"tasks\":[{\"type\":\"noop\"}]}")
                .post("/api/v1/batches");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        List<String> taskIds = accepted.path("taskIds");
        services.track(taskIds);
        return services.trackBatch(accepted.path("id"));
    }
}
