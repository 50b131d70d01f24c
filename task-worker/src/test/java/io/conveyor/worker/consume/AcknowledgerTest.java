package io.conveyor.worker.consume;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The acknowledger against the real broker: which messages are settled after a mix of acks, and how many ack frames
 * it took. A message it must not ack comes back to the queue when the consuming channel closes.
 */
class AcknowledgerTest {

    private LocalBroker broker;
    private String queue;
    private Channel consuming;
    /** The ack calls that reached the channel: {tag, multiple ? 1 : 0}. */
    private final List<long[]> ackCalls = new CopyOnWriteArrayList<>();
    /** Flushes handed to the ack thread; the tests run them when they choose. */
    private final List<Runnable> flushes = new ArrayList<>();

    private Acknowledger acks;
    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private String consumerTag;

    @BeforeEach
    void consumeFiveMessages() throws IOException {
        broker = new LocalBroker();
        queue = broker.channel().queueDeclare("", false, true, false, null).getQueue();
        for (int i = 1; i <= 5; i++) {
            broker.channel().basicPublish("", queue, null, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
        consuming = countingAcks(broker.connection().createChannel());
        acks = new Acknowledger(consuming, flushes::add);
        consuming.basicQos(10);
        consumerTag = consuming.basicConsume(queue, false, new DefaultConsumer(consuming) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                acks.delivered(envelope.getDeliveryTag());
                delivered.add(envelope.getDeliveryTag());
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 5);
    }

    @AfterEach
    void deleteQueue() throws IOException, TimeoutException {
        if (consuming.isOpen()) {
            consuming.close();
        }
        broker.channel().queueDelete(queue);
        broker.close();
    }

    @Test
    void successesAnsweredTogetherFromTheLowestDeliveryUpAreOneMultipleAck() throws Exception {
        acks.ackSoon(1);
        acks.ackSoon(3);
        acks.ackSoon(2);
        assertEquals(1, flushes.size(), "one flush for acks requested before it ran");
        flushes.forEach(Runnable::run);

        assertEquals(List.of(3L), ackedTags());
        assertEquals(1L, ackCalls.get(0)[1], "a multiple ack");
        assertEquals(Set.of("4", "5"), returnedAfterClose());
    }

    @Test
    void aDeliveryLeftUnsettledIsNeverCoveredByAMultipleAck() throws Exception {
        acks.ackSoon(2);
        acks.ackSoon(3);
        acks.ackSoon(5);
        flushes.forEach(Runnable::run);

        assertEquals(List.of(2L, 3L, 5L), ackedTags());
        ackCalls.forEach(call -> assertEquals(0L, call[1], "single acks only: delivery 1 is not settled"));
        assertEquals(Set.of("1", "4"), returnedAfterClose());
    }

    @Test
    void acksAfterANackStartTheirRunAboveIt() throws Exception {
        consuming.basicCancel(consumerTag); // the nacked message is not delivered again
        acks.nack(1);
        acks.ack(2);
        acks.ackSoon(3);
        acks.ackSoon(4);
        flushes.forEach(Runnable::run);

        assertEquals(List.of(2L, 4L), ackedTags());
        assertEquals(1L, ackCalls.get(1)[1], "3 and 4 in one multiple ack");
        assertEquals(1, acks.unsettled(), "only delivery 5 is left");
        assertEquals(Set.of("1", "5"), returnedAfterClose());
    }

    @Test
    void acksOnAClosedChannelAreDroppedAndTheMessagesComeBack() throws Exception {
        consuming.close();
        acks.ack(1);
        acks.ackSoon(2);
        flushes.forEach(Runnable::run);

        assertEquals(List.of(), ackedTags());
        assertEquals(3, acks.unsettled());
        assertEquals(Set.of("1", "2", "3", "4", "5"), returnedAfterClose());
    }

    private List<Long> ackedTags() {
        return ackCalls.stream().map(call -> call[0]).toList();
    }

    /** Closes the consuming channel and reads back what the queue holds: the messages that were never acked. */
    private Set<String> returnedAfterClose() throws IOException, TimeoutException {
        if (consuming.isOpen()) {
            consuming.close();
        }
        Set<String> bodies = new TreeSet<>();
        for (GetResponse message; (message = broker.channel().basicGet(queue, true)) != null; ) {
            bodies.add(new String(message.getBody(), StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** The real channel, with its basicAck calls noted on the way through. */
    private Channel countingAcks(Channel channel) {
        return (Channel) Proxy.newProxyInstance(
                Channel.class.getClassLoader(), new Class<?>[] {Channel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("basicAck")) {
                        ackCalls.add(new long[] {(Long) args[0], (Boolean) args[1] ? 1 : 0});
                    }
                    try {
                        return method.invoke(channel, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
