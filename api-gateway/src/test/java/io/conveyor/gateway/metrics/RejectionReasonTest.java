package io.conveyor.gateway.metrics;

import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.gateway.publish.QueueFullException;
import io.conveyor.gateway.state.IdempotencyKeyInProgressException;
import io.conveyor.gateway.state.IdempotencyKeyReusedException;
import io.conveyor.gateway.state.StateUnavailableException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reason tag of a submission refused after validation, from the domain exception alone. */
class RejectionReasonTest {

    @Test
    void namesEachDomainFailure() {
        assertEquals("broker-unavailable", GatewayMetrics.reason(new BrokerUnavailableException("down")));
        assertEquals("confirm-timeout", GatewayMetrics.reason(new TimeoutException()));
        assertEquals("queue-full", GatewayMetrics.reason(new QueueFullException("noop", 10)));
        assertEquals("broker-refused", GatewayMetrics.reason(new PublishRejectedException("nack", false)));
        assertEquals("unroutable", GatewayMetrics.reason(new PublishRejectedException("returned", true)));
        assertEquals("state-unavailable", GatewayMetrics.reason(new StateUnavailableException(new RuntimeException())));
        assertEquals("idempotency-key-reused", GatewayMetrics.reason(new IdempotencyKeyReusedException()));
        assertEquals("idempotency-key-in-progress", GatewayMetrics.reason(new IdempotencyKeyInProgressException()));
        assertEquals("internal", GatewayMetrics.reason(new IllegalStateException()));
    }
}
