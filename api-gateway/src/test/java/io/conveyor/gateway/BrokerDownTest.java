package io.conveyor.gateway;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/** With no broker to talk to, the gateway refuses quickly and honestly, and stays alive. */
@QuarkusTest
@TestProfile(BrokerDownTest.NoBroker.class)
class BrokerDownTest {

    /** Points the gateway at a port where no broker listens. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.broker.port", "1", "conveyor.broker.connect-timeout", "1S");
        }
    }

    @Test
    void answers503WithRetryAfterQuickly() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(503)
                .time(lessThan(2L), TimeUnit.SECONDS)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("nothing was accepted"));
    }

    @Test
    void seedRouteAnswers503Too() {
        given().contentType(ContentType.JSON)
                .body("{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}")
                .when()
                .post("/async-task")
                .then()
                .statusCode(503)
                .contentType("application/problem+json");
    }

    @Test
    void validationStillAnswers400() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"nope\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400);
    }

    @Test
    void readinessIsDownAndLivenessUp() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rabbitmq' }.data.state", containsString("not connected"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
