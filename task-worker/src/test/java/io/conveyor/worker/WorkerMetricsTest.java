package io.conveyor.worker;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskStatus;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** After tasks ran, /q/metrics shows them: counters by type, handler and queue histograms, in-flight gauge. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class WorkerMetricsTest {

    private static LocalBroker broker;
    private static LocalRedis redis;
    private static String ok;
    private static String dead;

    @Inject
    OutcomeRecorder outcomes;

    @BeforeAll
    static void connect() {
        broker = new LocalBroker().declareTopology();
        broker.purgeAll();
        redis = new LocalRedis();
    }

    @AfterAll
    static void cleanUp() {
        redis.forget(List.of(ok, dead));
        redis.close();
        broker.purgeAll();
        broker.close();
    }

    @Test
    void exposesTaskMetricsByType() {
        ok = aTask().ofType("noop").publishTo(broker);
        dead = aTask().ofType("fail").withPayload("{\"permanent\":true}").publishTo(broker);
        outcomes.await(ok, TaskStatus.SUCCEEDED, Duration.ofSeconds(15));
        outcomes.await(dead, TaskStatus.DEAD, Duration.ofSeconds(15));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("conveyor_tasks_started_total{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_succeeded_total{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_failed_total{type=\"fail\"}"))
                .body(containsString("conveyor_tasks_dead_lettered_total{type=\"fail\"}"))
                .body(containsString("conveyor_handler_duration_seconds_bucket{outcome=\"success\",type=\"noop\""))
                .body(containsString("conveyor_queue_latency_seconds_count{type=\"noop\"}"))
                .body(containsString("conveyor_tasks_in_flight"));
    }
}
