package io.conveyor.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownSignalException;

/** One channel in confirm mode with its outstanding publishes keyed by sequence number. */
final class ConfirmChannel implements ConfirmListener, ReturnListener {

    private final Channel channel;
    private final ConcurrentNavigableMap<Long, Outstanding> outstanding = new ConcurrentSkipListMap<>();

    ConfirmChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(this);
        channel.addShutdownListener(this::failAll);
    }

    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        Outstanding entry = new Outstanding(props.getMessageId());
        // Sequence number and publish must pair up atomically, or a confirm would complete the wrong future.
        synchronized (this) {
            long seq = channel.getNextPublishSeqNo();
            outstanding.put(seq, entry);
            try {
                channel.basicPublish(exchange, routingKey, true, props, body);
            } catch (IOException | AlreadyClosedException e) {
                outstanding.remove(seq);
                entry.future.completeExceptionally(
                        new BrokerUnavailableException("Publish failed: " + e.getMessage(), e));
            }
        }
        return entry.future;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, true);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, false);
    }

    @Override
    public void handleReturn(
            int replyCode,
            String replyText,
            String exchange,
            String routingKey,
            AMQP.BasicProperties properties,
            byte[] body) {
        // A return precedes the ack of the same message; mark it so the ack fails the future instead.
        String id = properties.getMessageId();
        for (Outstanding entry : outstanding.values()) {
            if (id != null && id.equals(entry.messageId)) {
                entry.returnedReason = replyText + " (exchange '" + exchange + "', routing key '" + routingKey + "')";
            }
        }
    }

    private void settle(long deliveryTag, boolean multiple, boolean ack) {
        if (multiple) {
            Map<Long, Outstanding> done = outstanding.headMap(deliveryTag, true);
            done.values().forEach(e -> e.settle(ack));
            done.clear();
        } else {
            Outstanding entry = outstanding.remove(deliveryTag);
            if (entry != null) {
                entry.settle(ack);
            }
        }
    }

    private void failAll(ShutdownSignalException cause) {
        // Sequence numbers restart on the recovered channel: whatever was outstanding is unknown now.
        outstanding
                .values()
                .forEach(e -> e.future.completeExceptionally(new BrokerUnavailableException(
                        "Channel closed before the broker confirmed: " + cause.getMessage(), cause)));
        outstanding.clear();
    }

    private static final class Outstanding {
        final String messageId;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        volatile String returnedReason;

        Outstanding(String messageId) {
            this.messageId = messageId;
        }

        void settle(boolean ack) {
            if (!ack) {
                future.completeExceptionally(
                        new PublishRejectedException("The broker refused the message (nack)", false));
            } else if (returnedReason != null) {
                future.completeExceptionally(new PublishRejectedException("Unroutable: " + returnedReason, true));
            } else {
                future.complete(null);
            }
        }
    }
}
