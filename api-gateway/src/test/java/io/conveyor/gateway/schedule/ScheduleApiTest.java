package io.conveyor.gateway.schedule;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedules API in protected mode (the local identity may do everything): create, read, list, replace, pause,
 * resume, delete; every invalid body is one 400 that names each bad field, and saves nothing.
 */
@QuarkusTest
class ScheduleApiTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private final ScheduleFixtures schedules = new ScheduleFixtures(services);

    @AfterEach
    void clean() {
        schedules.clean();
    }

    @Test
    void createsReadsReplacesPausesResumesAndDeletes() {
        String name = schedules.name("crud");
        given().contentType("application/json")
                .body(
                        "{\"name\":\"" + name + "\",\"cron\":\"0 9 * * MON-FRI\",\"zone\":\"Europe/Paris\","
                                + "\"task\":{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"},\"options\":{\"maxAttempts\":2}}}")
                .post("/api/v1/schedules")
                .then()
                .statusCode(201)
                .header("Location", "/api/v1/schedules/" + name)
                .body("name", equalTo(name))
                .body("cron", equalTo("0 9 * * MON-FRI"))
                .body("zone", equalTo("Europe/Paris"))
                .body("missed", equalTo("skip"))
                .body("task.type", equalTo("sleep"))
                .body("task.payload.duration", equalTo("PT1S"))
                .body("task.options.maxAttempts", equalTo(2))
                .body("paused", equalTo(false))
                .body("nextFireAt", notNullValue())
                .body("lastFireAt", nullValue())
                .body("client", nullValue());
        JsonPath created = given().get("/api/v1/schedules/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Instant next = Instant.parse(created.getString("nextFireAt"));
        assertTrue(next.isAfter(Instant.now()) && next.isBefore(Instant.now().plus(Duration.ofDays(4))));

        given().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}")
                .post("/api/v1/schedules")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:schedule-exists"));
        given().get("/api/v1/schedules").then().statusCode(200).body("name", hasItem(name));

        JsonPath replaced = given().contentType("application/json")
                .body("{\"cron\":\"@every PT1H\",\"missed\":\"once\",\"task\":{\"type\":\"noop\"}}")
                .put("/api/v1/schedules/" + name)
                .then()
                .statusCode(200)
                .body("cron", equalTo("@every PT1H"))
                .body("zone", equalTo("UTC"))
                .body("missed", equalTo("once"))
                .body("task.type", equalTo("noop"))
                .extract()
                .jsonPath();
        assertEquals(created.getString("createdAt"), replaced.getString("createdAt"));
        assertNotEquals(created.getString("nextFireAt"), replaced.getString("nextFireAt"));

        String other = schedules.name("put");
        given().contentType("application/json")
                .body("{\"name\":\"" + other + "\",\"cron\":\"@daily\",\"task\":{\"type\":\"noop\"}}")
                .put("/api/v1/schedules/" + other)
                .then()
                .statusCode(201)
                .header("Location", "/api/v1/schedules/" + other);

        given().post("/api/v1/schedules/" + name + "/pause")
                .then()
                .statusCode(200)
                .body("paused", equalTo(true))
                .body("nextFireAt", nullValue());
        assertNull(services.redis().call("ZSCORE", ScheduleStore.DUE, name));
        given().post("/api/v1/schedules/" + name + "/resume")
                .then()
                .statusCode(200)
                .body("paused", equalTo(false))
                .body("nextFireAt", notNullValue());
        assertTrue(services.redis().call("ZSCORE", ScheduleStore.DUE, name) != null);

        given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        given().get("/api/v1/schedules/" + name)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:schedule-not-found"));
        given().delete("/api/v1/schedules/" + name).then().statusCode(404);
        given().post("/api/v1/schedules/" + name + "/pause").then().statusCode(404);
        given().get("/api/v1/schedules").then().body("name", not(hasItem(name)));
    }

    @Test
    void refusesAnInvalidScheduleNamingEachFieldAndSavesNothing() {
        String name = schedules.name("bad");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"send_email\",\"payload\":{\"subject\":\"Hi\",\"body\":\"x\"}}}",
                "task.payload.to");
        refused("{\"name\":\"" + name + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"no_such_type\"}}", "task");
        refused("{\"name\":\"" + name + "\",\"cron\":\"61 * * * *\",\"task\":{\"type\":\"noop\"}}", "cron");
        refused("{\"name\":\"" + name + "\",\"cron\":\"@every PT0.5S\",\"task\":{\"type\":\"noop\"}}", "cron");
        refused("{\"name\":\"" + name + "\",\"cron\":\"0 0 30 2 *\",\"task\":{\"type\":\"noop\"}}", "cron");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"zone\":\"Mars/Olympus\",\"task\":{\"type\":\"noop\"}}",
                "zone");
        refused("{\"name\":\"a b\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}", "name");
        refused("{\"name\":\"" + "x".repeat(101) + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}", "name");
        refused("{\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}", "name");
        refused("{\"name\":\"" + name + "\",\"task\":{\"type\":\"noop\"}}", "cron");
        refused("{\"name\":\"" + name + "\",\"cron\":\"@hourly\"}", "task");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"missed\":\"sometimes\",\"task\":{\"type\":\"noop\"}}",
                "missed");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"k\"}}}",
                "task.options.idempotencyKey");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\",\"options\":{\"delay\":\"PT1M\"}}}",
                "task.options.delay");
        // The default test profile gives no client a webhook secret: a schedule's callback would never be signed.
        refused(
                "{\"name\":\"" + name + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\","
                        + "\"options\":{\"callbackUrl\":\"https://example.com/hook\"}}}",
                "task.options.callbackUrl");
        refused(
                "{\"name\":\"" + name
                        + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\",\"options\":{\"maxAttempts\":99}}}",
                "task.options.maxAttempts");
        refused("{\"name\":\"" + name + "\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"},\"extra\":1}", "extra");
        given().contentType("application/json")
                .body("{\"name\":\"other\",\"cron\":\"@hourly\",\"task\":{\"type\":\"noop\"}}")
                .put("/api/v1/schedules/" + name)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("name"));
        given().contentType("application/json")
                .body("{not json")
                .post("/api/v1/schedules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        given().get("/api/v1/schedules/" + name).then().statusCode(404);
        assertEquals(0L, services.redis().call("SISMEMBER", ScheduleStore.ALL, name));
        assertEquals(0L, services.redis().call("EXISTS", ScheduleStore.key(name)));
    }

    private static void refused(String body, String field) {
        given().contentType("application/json")
                .body(body)
                .post("/api/v1/schedules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("nothing was saved"))
                .body("errors.field", hasItem(field));
    }
}
