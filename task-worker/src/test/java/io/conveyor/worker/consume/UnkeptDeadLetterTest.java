package io.conveyor.worker.consume;

import java.io.IOException;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dead letter the broker can route nowhere (on a cluster: the node of the classic queue conveyor.dead is down) still
 * ends its task DEAD, once: the message is acknowledged, not returned to be redelivered until its queue's delivery
 * limit dropped it without any state.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class UnkeptDeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void aDeadLetterWithNowhereToGoStillEndsItsTaskDead() throws IOException {
        Channel channel = services.broker().channel();
        channel.queueUnbind(Topology.DEAD_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "#");
        try {
            String id = services.track(
                    aTask().ofType("fail").withPayload("{\"permanent\":true}").publishTo(services.broker()));
            outcomes.await(id, TaskStatus.DEAD, WAIT);
            await().atMost(WAIT)
                    .until(() -> "DEAD".equals(services.redis().task(id).get("status")));
            await().atMost(WAIT).until(() -> services.broker().messageCount(Topology.taskQueue("fail")) == 0);
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> outcomes.of(id).size() == 1);
            assertEquals(0L, services.broker().messageCount(Topology.DEAD_QUEUE));
        } finally {
            channel.queueBind(Topology.DEAD_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "#");
        }
    }
}
