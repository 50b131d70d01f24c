package io.conveyor.gateway.security;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.schedule.ScheduleStore;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import static io.conveyor.gateway.security.ApiKeysTest.ALICE;
import static io.conveyor.gateway.security.ApiKeysTest.BOB;
import static io.conveyor.gateway.security.ApiKeysTest.OPERATOR;
import static io.conveyor.gateway.security.ApiKeysTest.READER;
import static io.conveyor.gateway.security.ApiKeysTest.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Who may do what with schedules: a producer its own (another client's is a 404, its name a 409), a reader reads
 * all, an operator does everything, pause and resume included; the tasks a schedule fires belong to its owner.
 */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class ScheduleOwnershipTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private final String name = "test-owned-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void clean() {
        services.redis().call("DEL", ScheduleStore.key(name));
        services.redis().call("ZREM", ScheduleStore.DUE, name);
        services.redis().call("SREM", ScheduleStore.ALL, name);
        services.broker().purge(Topology.taskQueue("noop"));
    }

    @Test
    void producersOwnTheirSchedulesReadersReadOperatorsOperate() {
        String body = "{\"name\":\"" + name + "\",\"cron\":\"@every PT1S\",\"task\":{\"type\":\"noop\"}}";
        as(READER)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/schedules")
                .then()
                .statusCode(403);
        given().contentType("application/json")
                .body(body)
                .post("/api/v1/schedules")
                .then()
                .statusCode(401);
        as(ALICE)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/schedules")
                .then()
                .statusCode(201)
                .body("client", equalTo("alice"));

        // The tasks it fires are alice's: she reads them, bob does not.
        String taskId = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> (String) as(ALICE)
                                .get("/api/v1/schedules/" + name)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("lastTaskId"),
                        id -> id != null);
        services.track(taskId);
        as(ALICE)
                .get("/api/v1/tasks/" + taskId)
                .then()
                .statusCode(200)
                .body("client", equalTo("alice"))
                .body("schedule", equalTo(name));
        as(BOB).get("/api/v1/tasks/" + taskId).then().statusCode(404);

        as(BOB).get("/api/v1/schedules/" + name).then().statusCode(404).contentType("application/problem+json");
        as(BOB).get("/api/v1/schedules").then().statusCode(200).body("name", not(hasItem(name)));
        as(BOB).delete("/api/v1/schedules/" + name).then().statusCode(404);
        as(BOB).contentType("application/json")
                .body(body)
                .put("/api/v1/schedules/" + name)
                .then()
                .statusCode(409);
        as(ALICE).get("/api/v1/schedules").then().statusCode(200).body("name", hasItem(name));
        as(READER).get("/api/v1/schedules").then().statusCode(200).body("name", hasItem(name));
        as(READER).get("/api/v1/schedules/" + name).then().statusCode(200);
        as(READER).delete("/api/v1/schedules/" + name).then().statusCode(403);

        as(ALICE).post("/api/v1/schedules/" + name + "/pause").then().statusCode(403);
        as(READER).post("/api/v1/schedules/" + name + "/pause").then().statusCode(403);
        as(OPERATOR)
                .post("/api/v1/schedules/" + name + "/pause")
                .then()
                .statusCode(200)
                .body("paused", equalTo(true));
        as(OPERATOR)
                .post("/api/v1/schedules/" + name + "/resume")
                .then()
                .statusCode(200)
                .body("paused", equalTo(false));
        // An operator's replace keeps the owner.
        as(OPERATOR)
                .contentType("application/json")
                .body("{\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}")
                .put("/api/v1/schedules/" + name)
                .then()
                .statusCode(200)
                .body("client", equalTo("alice"));
        as(OPERATOR).delete("/api/v1/schedules/" + name).then().statusCode(204);
        as(ALICE).get("/api/v1/schedules/" + name).then().statusCode(404);
        JsonPath fired = as(ALICE)
                .get("/api/v1/tasks?type=noop&limit=100")
                .then()
                .extract()
                .jsonPath();
        for (int i = 0; i < fired.getList("items").size(); i++) {
            if (name.equals(fired.getString("items[" + i + "].schedule"))) {
                services.track(fired.getString("items[" + i + "].id"));
            }
        }
    }
}
