package io.conveyor.worker;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** After tasks ran, /q/metrics shows them: counters by type, handler and queue histograms, in-flight gauge. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class WorkerMetricsTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void exposesTaskMetricsByType() {
        String ok = services.track(aTask().ofType("noop").publishTo(services.broker()));
        String dead = services.track(
                aTask().ofType("fail").withPayload("{\"permanent\":true}").publishTo(services.broker()));
        outcomes.await(ok, TaskStatus.SUCCEEDED, Duration.ofSeconds(15));
        outcomes.await(dead, TaskStatus.DEAD, Duration.ofSeconds(15));
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_tasks_started_total{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_succeeded_total{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_failed_total{type=\"fail\"}"))
                .body(containsString("conveyor_tasks_dead_lettered_total{type=\"fail\"}"))
                .body(containsString("conveyor_handler_duration_seconds_bucket{outcome=\"success\",type=\"noop\""))
                .body(containsString("conveyor_queue_latency_seconds_count{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_in_flight"));
    }
}
