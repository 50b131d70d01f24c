package io.conveyor.gateway.console;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.DeadTasks;
import io.conveyor.gateway.Submissions;
import io.conveyor.gateway.schedule.ScheduleFixtures;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every console page renders (strict templates: a misspelt name fails here) for protected mode's local identity,
 * which may do everything; filters answer clear errors; the dead-letter and cancel actions act. The browser tests
 * (system-tests) drive the same pages in Chromium with workers running.
 */
@QuarkusTest
class ConsolePagesTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void everyPageRendersWithItsOwnUrl() {
        String id = services.track(Submissions.accepted("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}"));
        for (String page : new String[] {
            "/console",
            "/console/queues",
            "/console/workers",
            "/console/tasks",
            "/console/dead-letters",
            "/console/schedules",
            "/console/tasks/" + id,
            "/console?live=true",
            "/console/queues?live=true",
            "/console/workers?live=true",
            "/console/tasks/" + id + "?live=true"
        }) {
            given().get(page)
                    .then()
                    .statusCode(200)
                    .contentType(containsString("text/html"))
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .header("Cache-Control", equalTo("no-store"));
        }
        given().get("/console")
                .then()
                .body(containsString("data-type=\"sleep\""))
                .body(containsString("local access"))
                .body(containsString("href=\"/console/tasks?type=sleep&amp;status=QUEUED\""));
        given().get("/console/tasks?type=sleep&status=QUEUED").then().body(containsString("data-task=\"" + id + "\""));
        given().get("/console/tasks/" + id)
                .then()
                .body(containsString("QUEUED"))
                .body(containsString("&quot;duration&quot; : &quot;PT1S&quot;"))
                .body(containsString("Cancel task"))
                .body(containsString("data-figure=\"trace\""));
    }

    @Test
    void listsTheSchedulesLinkedFromTheNav() {
        ScheduleFixtures schedules = new ScheduleFixtures(services);
        try {
            String name = schedules.name("console");
            schedules.create(name, "0 9 * * MON-FRI", "skip");
            given().post("/api/v1/schedules/" + name + "/pause").then().statusCode(200);
            given().get("/console/schedules")
                    .then()
                    .statusCode(200)
                    .body(containsString("href=\"/console/schedules\" aria-current=\"page\""))
                    .body(containsString("data-schedule=\"" + name + "\""))
                    .body(containsString("<code>0 9 * * MON-FRI</code>"))
                    .body(containsString("href=\"/console/tasks?type=noop\""));
            given().get("/console").then().body(containsString("href=\"/console/schedules\""));
        } finally {
            schedules.clean();
        }
    }

    @Test
    void badFiltersAreExplainedNotFailed() {
        given().get("/console/tasks?status=LOST&type=nope&after=yesterday")
                .then()
                .statusCode(400)
                .body(containsString("Unknown status &#39;LOST&#39;."))
                .body(containsString("Unknown task type &#39;nope&#39;."))
                .body(containsString("&#39;after&#39; must be a date and time"));
        given().get("/console/tasks/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body(containsString("No task"));
        given().get("/console/assets/nope.js").then().statusCode(404);
        given().get("/console/assets/htmx.min.js")
                .then()
                .statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("htmx"));
    }

    @Test
    void findsATaskByIdOrByIdempotencyKey() {
        String key = "console-" + UUID.randomUUID();
        services.trackKey(StateKeys.idempotency(key));
        String id = services.track(Submissions.accepted(given().header("Idempotency-Key", key), "{\"type\":\"noop\"}"));
        given().redirects()
                .follow(false)
                .get("/console/tasks?find=" + id)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/tasks/" + id));
        given().redirects()
                .follow(false)
                .get("/console/tasks?find=" + key)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/tasks/" + id));
        given().get("/console/tasks?find=nothing-" + key).then().statusCode(400).body(containsString("No task has"));
    }

    @Test
    void cancelsATaskThatHasNotStarted() {
        String id = services.track(Submissions.accepted("{\"type\":\"noop\"}"));
        given().header("HX-Request", "true")
                .post("/console/tasks/" + id + "/cancel")
                .then()
                .statusCode(204)
                .header("HX-Redirect", equalTo("/console/tasks/" + id + "?done=cancelled"));
        given().get("/api/v1/tasks/" + id).then().body("status", equalTo("CANCELLED"));
        given().header("HX-Request", "true")
                .post("/console/tasks/" + id + "/cancel")
                .then()
                .statusCode(409)
                .body(containsString("is CANCELLED"));
        given().get("/console/tasks/" + id).then().body(not(containsString("Cancel task")));
    }

    @Test
    void replaysAndDiscardsDeadLettersOneSelectedOrAll() {
        String first = DeadTasks.create(services, "fail", 2);
        String second = DeadTasks.create(services, "fail", 1);
        String third = DeadTasks.create(services, "fail", 1);
        given().get("/console/dead-letters?type=fail")
                .then()
                .statusCode(200)
                .body(containsString("data-dead=\"" + first + "\""))
                .body(containsString("data-count=\"3\""));
        given().get("/console/dead-letters?type=fail&reason=poison")
                .then()
                .body(containsString("No dead letter matches"));

        given().header("HX-Request", "true")
                .formParam("one", first)
                .formParam("type", "fail")
                .post("/console/dead-letters/replay")
                .then()
                .statusCode(204)
                .header("HX-Redirect", equalTo("/console/dead-letters?type=fail&done=replayed&n=1&left=0"));
        given().get("/api/v1/tasks/" + first).then().body("status", equalTo("QUEUED"));
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("fail")));

        given().header("HX-Request", "true")
                .formParam("ids", second)
                .post("/console/dead-letters/discard")
                .then()
                .statusCode(204)
                .header("HX-Redirect", equalTo("/console/dead-letters?done=discarded&n=1"));
        given().header("HX-Request", "true")
                .post("/console/dead-letters/replay")
                .then()
                .statusCode(400);

        given().header("HX-Request", "true")
                .formParam("all", "true")
                .formParam("type", "fail")
                .post("/console/dead-letters/replay")
                .then()
                .statusCode(204);
        await().untilAsserted(() -> assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE)));
        given().get("/api/v1/tasks/" + third).then().body("status", equalTo("QUEUED"));
        given().get("/console/dead-letters?done=replayed&n=1&left=0")
                .then()
                .body(containsString("Replayed 1 dead letter: queued again."));
    }
}
