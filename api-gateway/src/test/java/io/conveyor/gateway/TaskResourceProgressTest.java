package io.conveyor.gateway;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /api/v1/tasks/{id} shows the progress a running attempt reported, written to the real Redis as a worker writes
 * it: null before any report, cleared when a new attempt starts, kept once the task ended.
 */
@QuarkusTest
class TaskResourceProgressTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @BeforeEach
    void purge() {
        services.broker().purgeAll();
    }

    private static String runningSleep() {
        String id = services.track(Submissions.accepted("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT10S\"}}"));
        given().get("/api/v1/tasks/" + id).then().statusCode(200).body("progress", nullValue());
        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        return id;
    }

    @Test
    void showsWhatTheRunningAttemptReported() {
        String id = runningSleep();
        given().get("/api/v1/tasks/" + id).then().statusCode(200).body("progress", nullValue());
        assertEquals(1L, services.redis().progress(id, 1, 3, 10, "slept 3 of 10 s"));
        given().get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("progress.done", equalTo(3))
                .body("progress.total", equalTo(10))
                .body("progress.message", equalTo("slept 3 of 10 s"))
                .body("progress.updatedAt", matchesPattern("\\d{4}-\\d{2}-\\d{2}T.*Z"));
        // The page of tasks reads the same views.
        given().queryParam("type", "sleep")
                .queryParam("status", "RUNNING")
                .queryParam("limit", 100)
                .get("/api/v1/tasks")
                .then()
                .statusCode(200)
                .body("items.find { it.id == '" + id + "' }.progress.done", equalTo(3));
    }

    @Test
    void anUnknownTotalAndNoMessageAreNull() {
        String id = runningSleep();
        services.redis().progress(id, 1, 42, -1, null);
        given().get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("progress.done", equalTo(42))
                .body("progress.total", nullValue())
                .body("progress.message", nullValue())
                .body("progress.updatedAt", notNullValue());
    }

    @Test
    void aNewAttemptClearsTheProgressAndASuccessDropsIt() {
        String id = runningSleep();
        services.redis().progress(id, 1, 4, 10, "first attempt");
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.RETRY_SCHEDULED, Instant.now()).attempts(1));
        given().get("/api/v1/tasks/" + id).then().body("progress.message", equalTo("first attempt"));
        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(2));
        given().get("/api/v1/tasks/" + id).then().body("attempts", equalTo(2)).body("progress", nullValue());
        assertEquals(0L, services.redis().progress(id, 1, 9, 10, "a late report of attempt 1"));
        given().get("/api/v1/tasks/" + id).then().body("progress", nullValue());
        services.redis().progress(id, 2, 10, 10, "second attempt");
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.SUCCEEDED, Instant.now())
                                .attempts(2)
                                .result(Map.of()));
        assertEquals(0L, services.redis().progress(id, 2, 11, 10, "after the end"));
        given().get("/api/v1/tasks/" + id)
                .then()
                .body("status", equalTo("SUCCEEDED"))
                .body("progress", nullValue());
    }
}
