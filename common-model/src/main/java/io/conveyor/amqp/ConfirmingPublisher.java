package io.conveyor.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;

/**
 * Publishes persistent, mandatory messages and completes each future only when the broker confirmed it.
 * Confirms are tracked asynchronously per channel, so one confirm round-trip serves every message published
 * meanwhile and no thread blocks waiting for the broker. A future fails with {@link BrokerUnavailableException}
 * when no channel is open or the channel closes first, and with {@link PublishRejectedException} when the
 * broker nacks or returns the message.
 */
public final class ConfirmingPublisher {

    private static final Logger LOG = Logger.getLogger(ConfirmingPublisher.class);

    private final int channelCount;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<ConfirmChannel> channels = List.of();

    public ConfirmingPublisher(int channelCount) {
        if (channelCount < 1) {
            throw new IllegalArgumentException("channelCount must be at least 1");
        }
        this.channelCount = channelCount;
    }

    /** Opens the channel pool on a (recovering) connection; the client re-opens the channels after a reconnect. */
    public void open(Connection connection) throws IOException {
        List<ConfirmChannel> opened = new ArrayList<>(channelCount);
        for (int i = 0; i < channelCount; i++) {
            opened.add(new ConfirmChannel(connection.createChannel()));
        }
        channels = List.copyOf(opened);
        LOG.debugf("Opened %d confirming publisher channels", channelCount);
    }

    public CompletableFuture<Void> publish(
            String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        List<ConfirmChannel> pool = channels;
        if (pool.isEmpty()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("Not connected to the broker yet"));
        }
        int start = Math.floorMod(next.getAndIncrement(), pool.size());
        for (int i = 0; i < pool.size(); i++) {
            ConfirmChannel candidate = pool.get((start + i) % pool.size());
            if (candidate.isOpen()) {
                return candidate.publish(exchange, routingKey, props, body);
            }
        }
        return CompletableFuture.failedFuture(new BrokerUnavailableException("No open channel to the broker"));
    }

    public boolean isReady() {
        return channels.stream().anyMatch(ConfirmChannel::isOpen);
    }
}
