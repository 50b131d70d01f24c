package io.conveyor.gateway;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without Redis, tasks still flow through the broker; state endpoints say 503 and readiness says why. */
@QuarkusTest
@TestProfile(RedisDownTest.NoRedis.class)
class RedisDownTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Points the gateway at a port where no Redis listens. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://localhost:1");
        }
    }

    @Test
    void tasksAreStillAccepted() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202);
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("noop")));
        services.broker().purge(Topology.taskQueue("noop"));
    }

    @Test
    void stateEndpointsAnswer503() {
        given().when()
                .get("/api/v1/tasks/00000000-0000-0000-0000-000000000001")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("Redis"));
        given().when().get("/api/v1/tasks").then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void anIdempotencyKeyCannotBeHonouredSoItIs503() {
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "k1")
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(503)
                .contentType("application/problem+json");
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void readinessIsDownAndSaysWhy() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'rabbitmq' }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Redis') }.status", equalTo("DOWN"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
