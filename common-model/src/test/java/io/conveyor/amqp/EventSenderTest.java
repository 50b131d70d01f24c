package io.conveyor.amqp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events that cannot reach a broker wait in a bounded buffer; past it they are dropped at once, never waited for. */
class EventSenderTest {

    @Test
    void dropsWhatDoesNotFitWithoutWaiting() {
        AtomicInteger full = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        EventSender.Listener listener = new EventSender.Listener() {
            @Override
            public void sent() {
                sent.incrementAndGet();
            }

            @Override
            public void dropped(String reason, Throwable cause) {
                if ("buffer-full".equals(reason)) {
                    full.incrementAndGet();
                }
            }
        };
        // No broker listens on port 1: the sender keeps trying to connect and holds what fits.
        BrokerSettings nowhere = new BrokerSettings(
                "127.0.0.1", 1, "guest", "guest", "/", Duration.ofMillis(200), Duration.ofSeconds(1), "test events");
        try (EventSender sender = new EventSender(nowhere, 100, listener)) {
            sender.start();
            int events = 5_000;
            long started = System.nanoTime();
            int accepted = 0;
            for (int i = 0; i < events; i++) {
                if (sender.offer(
                        new EventSender.Outgoing("noop.SUCCEEDED", new AMQP.BasicProperties(), new byte[100]))) {
                    accepted++;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "offering took " + took);
            // The buffer, and the one event the sending thread holds while it waits for the broker.
            assertTrue(accepted <= 101, "accepted " + accepted);
            assertEquals(events - accepted, full.get());
            assertEquals(0, sent.get());
        }
    }
}
