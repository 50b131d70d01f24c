package io.conveyor.gateway;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the README promises about bodies, keys and query parameters, held against the running gateway. */
@QuarkusTest
class RequestRulesTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void aBodyWithoutContentTypeIs415OnBothRoutes() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String[] route : new String[][] {
            {"api/v1/tasks", "{\"type\":\"noop\"}"},
            {"async-task", "{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}"}
        }) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create(base + route[0]))
                            .POST(HttpRequest.BodyPublishers.ofString(route[1]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(415, answer.statusCode(), route[0] + ": " + answer.body());
            assertEquals(
                    "application/problem+json",
                    answer.headers().firstValue("Content-Type").orElse(""));
            assertTrue(answer.body().contains("application/json"), answer.body());
        }
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("send_email")));
    }

    @Test
    void theSeedRouteHonoursAnIdempotencyKey() {
        String key = key();
        String body = "{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}";
        String first = seed(key, body);
        String second = seed(key, body);
        assertEquals(first, second, "one key, one task");
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("send_email")));
    }

    @Test
    void aKeyInTheHeaderOrInTheOptionsIsOneKey() {
        String key = key();
        String first = track(Submissions.accepted(given().header("Idempotency-Key", key), "{\"type\":\"noop\"}"));
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"" + key + "\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .body("id", equalTo(first));
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"" + key + "\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .body("id", equalTo(first));
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void twoDifferentKeysForOneRequestAre400() {
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "test-key-a")
                .body("{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"test-key-b\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("differ"))
                .body("errors.field", hasItems("options.idempotencyKey"));
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void aWaitOverTheCapIs400NamingTheCap() {
        given().when()
                .get("/api/v1/tasks/x?wait=PT90S")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:validation"))
                .body("detail", containsString("at most PT1M"))
                .body("errors[0].field", equalTo("wait"))
                .body("errors[0].message", equalTo("must be at most PT1M"));
        given().when()
                .get("/api/v1/tasks/x?wait=soon")
                .then()
                .statusCode(400)
                .body("detail", containsString("at most PT1M"))
                .body("errors[0].message", equalTo("not an ISO-8601 duration"));
    }

    @Test
    void badQueryParametersAreOneProblemListingEachField() {
        given().queryParam("limit", 0)
                .queryParam("status", "DONE")
                .queryParam("type", "teleport")
                .when()
                .get("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid task request"))
                .body("errors.field", hasItems("limit", "status", "type"))
                .body("errors.message", hasItems("must be between 1 and 100", "unknown status", "unknown task type"));
        given().queryParam("type", "teleport")
                .when()
                .get("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("detail", containsString("Unknown task type 'teleport'; known types:"));
        given().queryParam("limit", 1001)
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("limit"))
                .body("errors[0].message", equalTo("must be between 1 and 1000"));
    }

    private String seed(String key, String body) {
        return track(given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .when()
                .post("/async-task")
                .then()
                .statusCode(202)
                .body("message", equalTo("Task started"))
                .extract()
                .path("id"));
    }

    private static String track(String id) {
        return services.track(id);
    }

    private static String key() {
        String key = "test-key-" + java.util.UUID.randomUUID();
        services.trackKey(StateKeys.idempotency(key));
        return key;
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NotAMissingRoute() {
        given().when()
                .get("/api/v1/tasks?limit=abc")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:invalid-parameter"));
        given().when()
                .get("/api/v1/no-such-route")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:conveyor:problem:not-found"));
    }
}
