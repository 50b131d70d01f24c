package io.conveyor.gateway;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Without RabbitMQ's management API the gateway cannot set the queue limits: it says so and keeps trying, but
 * starts, is ready and accepts tasks all the same.
 */
@QuarkusTest
@TestProfile(ManagementApiDownTest.NoManagementApi.class)
class ManagementApiDownTest {

    /** Points the gateway at a port where no management API listens. */
    public static class NoManagementApi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.queue-limits.management-url", "http://127.0.0.1:1",
                    "conveyor.queue-limits.retry-cap", "1S");
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Test
    void acceptsTasksAndIsReadyWhileTheLimitsAreNotApplied() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP")));
        String id = Submissions.accepted("{\"type\":\"noop\"}");
        services.track(id);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_queue_limits_applied 0.0"))
                .body(not(containsString("conveyor_queue_limits_applied 1.0")));
    }
}
