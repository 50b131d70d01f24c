package io.conveyor.worker;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.conveyor.testsupport.TaskMessageBuilder.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dead letter records the routing key its last delivery really had, and is routed to the dead letters by the
 * task type, whichever way the delivery came.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class DeadLetterRoutingKeyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void recordsTheTaskQueueAsRoutingKeyOfATaskThatDiedAfterARetry() {
        // Attempt 1 arrives under the type; attempt 2 comes back from a retry tier under the task queue's name.
        var task = aTask().ofType("fail").withPayload("{\"times\":10}").withMaxAttempts(2);
        task.publishTo(services.broker());

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertEquals("2", LocalBroker.header(dead, Headers.ATTEMPT));
        assertEquals(Topology.taskQueue("fail"), LocalBroker.header(dead, Headers.ORIGINAL_ROUTING_KEY));
        assertEquals("fail", dead.getEnvelope().getRoutingKey(), "dead letters are routed by task type");
    }

    @Test
    void recordsTheRoutingKeyOfAPoisonMessageWithoutATypeHeader() {
        String id = services.track(UUID.randomUUID().toString());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .headers(Map.of(Headers.ATTEMPT, 1))
                .build();
        services.broker().publish("", Topology.taskQueue("noop"), props, utf8("this is not json"));

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, id, WAIT);

        assertEquals("poison", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals(Topology.taskQueue("noop"), LocalBroker.header(dead, Headers.ORIGINAL_ROUTING_KEY));
        assertEquals("noop", dead.getEnvelope().getRoutingKey(), "the type is the queue's, without a header");
    }
}
