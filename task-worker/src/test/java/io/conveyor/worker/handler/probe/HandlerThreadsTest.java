package io.conveyor.worker.handler.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.util.GreenMail;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.config.ThreadKind;
import io.conveyor.worker.consume.HandlerTimeouts;
import io.conveyor.worker.retry.TaskTimeoutException;
import io.conveyor.worker.route.HandlerRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking handlers on virtual threads, CPU-bound ones on platform threads, one concurrency limit over both, through
 * the real broker: the probe handlers report their threads while the test holds them.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(HandlerThreadsTest.Concurrency20.class)
class HandlerThreadsTest {

    private static final int CONCURRENCY = 20;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** More than the platform pool of the tests' default profile, fewer than the default prefetch of 8 per permit. */
    public static class Concurrency20 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.worker.concurrency", String.valueOf(CONCURRENCY));
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @SmtpServer.InjectSmtp
    GreenMail smtp;

    @Inject
    ThreadProbe probe;

    @Inject
    HandlerTimeouts timeouts;

    @Inject
    HandlerRegistry registry;

    @Inject
    OutcomeRecorder outcomes;

    @BeforeEach
    void holdProbes() {
        probe.close();
    }

    @AfterEach
    void releaseProbes() {
        probe.open();
        await().atMost(WAIT).until(() -> probe.running() == 0);
        services.track(outcomes.taskIds());
    }

    private String probeTask(String type, boolean hold) {
        return aTask().ofType(type)
                .withPayload("{\"hold\":" + hold + "}")
                .withMaxAttempts(1)
                .publishTo(services.broker());
    }

    @Test
    void runsAtMostTheConcurrencyAtOnceAcrossVirtualAndPlatformThreads() {
        List<String> blocking = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            blocking.add(probeTask("probe_blocking", true));
            cpu.add(probeTask("probe_cpu", true));
            blocking.add(probeTask("probe_blocking", true));
        }
        int published = blocking.size() + cpu.size();

        await().atMost(WAIT).until(() -> probe.running() == CONCURRENCY);
        assertEquals(CONCURRENCY, probe.onVirtualThread().size(), "tasks started while the first ones hold");
        assertEquals(CONCURRENCY, timeouts.running());
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_tasks_in_flight " + CONCURRENCY + ".0"));
        // Every task is delivered (the prefetch allows it); those without a permit count as held, unsettled.
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .body("checks.find { it.name == 'rabbitmq' }.data.inFlight", equalTo(published)));

        probe.open();

        await().atMost(WAIT)
                .until(() -> outcomes.taskIds().containsAll(blocking)
                        && outcomes.taskIds().containsAll(cpu));
        for (String id : blocking) {
            assertEquals(TaskStatus.SUCCEEDED, outcomes.of(id).get(0).status(), id);
            assertEquals(true, probe.onVirtualThread().get(id), "blocking task " + id + " on a virtual thread");
        }
        for (String id : cpu) {
            assertEquals(TaskStatus.SUCCEEDED, outcomes.of(id).get(0).status(), id);
            assertEquals(false, probe.onVirtualThread().get(id), "CPU-bound task " + id + " on a platform thread");
        }
        assertEquals(CONCURRENCY, probe.peak(), "most handlers running at once");
    }

    @Test
    void theImageHandlerKeepsPlatformThreadsAndTheOthersTakeVirtualOnes() {
        assertEquals(
                ThreadKind.PLATFORM,
                registry.route("resize_image").orElseThrow().threads());
        for (String type : List.of("send_email", "generate_report", "sleep", "noop", "fail")) {
            assertEquals(ThreadKind.VIRTUAL, registry.route(type).orElseThrow().threads(), type);
        }
    }

    @Test
    void sendsEmailFromAVirtualThread() {
        String id = aTask().ofType("send_email")
                .withPayload("{\"to\":\"virtual@example.com\",\"subject\":\"From a virtual thread\",\"body\":\"Hi\"}")
                .publishTo(services.broker());

        outcomes.await(id, TaskStatus.SUCCEEDED, WAIT);
        await().atMost(WAIT).until(() -> smtp.getReceivedMessagesForDomain("virtual@example.com").length == 1);
    }

    @Test
    void theTimeoutInterruptsAHandlerOnAVirtualThread() {
        String id = probeTask("probe_blocking", true);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, id, WAIT);

        assertEquals(TaskTimeoutException.class.getName(), LocalBroker.header(dead, Headers.ERROR_CLASS));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("PT5S"));
        assertEquals(true, probe.onVirtualThread().get(id), "the handler ran on a virtual thread");
        assertTrue(probe.interrupted().contains(id), "the handler saw the interrupt");
    }
}
