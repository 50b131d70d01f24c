package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;
import io.conveyor.model.Topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Which decision a delivery's headers alone get, before its handler may run; no broker needed. */
class AdmissionTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void runsAFirstDeliveryWithoutHeaders() {
        assertSame(Admission.RUN, Admission.of(new AMQP.BasicProperties(), NOW));
    }

    @Test
    void runsADelayedTaskWhoseTimeHasCome() {
        assertSame(Admission.RUN, Admission.of(props(Map.of(Headers.NOT_BEFORE, NOW)), NOW));
        assertSame(Admission.RUN, Admission.of(props(Map.of(Headers.NOT_BEFORE, NOW - 1)), NOW));
    }

    @Test
    void sendsAnEarlyTaskBackToWaitInTheLongestTierThatDoesNotOvershoot() {
        Admission admission = Admission.of(props(Map.of(Headers.NOT_BEFORE, NOW + 7_000)), NOW);

        assertEquals(new Admission.WaitLonger(Duration.ofSeconds(5)), admission);
    }

    @Test
    void sendsATaskEarlyByLessThanTheShortestTierToTheShortestTier() {
        Admission admission = Admission.of(props(Map.of(Headers.NOT_BEFORE, NOW + 10)), NOW);

        assertEquals(new Admission.WaitLonger(Duration.ofSeconds(1)), admission);
    }

    @Test
    void deadLettersAMessageRedeliveredUpToTheGuard() {
        int guard = Topology.WORKER_DELIVERY_GUARD;

        assertEquals(new Admission.CrashLoop(guard), Admission.of(props(Map.of(Headers.DELIVERY_COUNT, guard)), NOW));
        assertEquals(
                new Admission.CrashLoop(guard + 5),
                Admission.of(props(Map.of(Headers.DELIVERY_COUNT, (long) guard + 5)), NOW));
    }

    @Test
    void runsAMessageRedeliveredFewerTimesThanTheGuard() {
        int below = Topology.WORKER_DELIVERY_GUARD - 1;

        assertSame(Admission.RUN, Admission.of(props(Map.of(Headers.DELIVERY_COUNT, below)), NOW));
    }

    @Test
    void letsAnEarlyTaskWaitEvenWhenItWasRedeliveredOften() {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Headers.NOT_BEFORE, NOW + 60_000);
        headers.put(Headers.DELIVERY_COUNT, Topology.WORKER_DELIVERY_GUARD);

        assertInstanceOf(Admission.WaitLonger.class, Admission.of(props(headers), NOW));
    }

    private static AMQP.BasicProperties props(Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().headers(headers).build();
    }
}
