package io.conveyor.worker.consume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.conveyor.model.Json;
import io.conveyor.model.ops.ControlMessage;
import io.conveyor.model.ops.OpsKeys;

/**
 * This worker's queue on the control exchange: server-named, exclusive and auto-deleted, so each worker gets every
 * pause and resume and the queue goes away with the connection. The client's topology recovery declares it again,
 * under a new name, after a reconnect; what was published meanwhile is lost, and the heartbeat's reconcile with the
 * paused set in Redis makes up for it.
 */
final class ControlQueue {

    private static final Logger LOG = Logger.getLogger(ControlQueue.class);

    /**
     * Strict like every JSON here, except for fields it does not know: a newer gateway may add some, and a worker that
     * ignored its pauses for that would be worse than one that ignores the field.
     */
    private static final ObjectReader READER =
            Json.mapper().readerFor(ControlMessage.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ControlQueue() {}

    /** Declares the exchange and this worker's queue on {@code channel} and hands each valid message to the listener. */
    static void listen(Channel channel, Consumer<ControlMessage> listener) throws IOException {
        channel.exchangeDeclare(OpsKeys.CONTROL_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, OpsKeys.CONTROL_EXCHANGE, "");
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                // An exception escaping here would make the client close this channel, and with it the queue.
                try {
                    parse(body).ifPresent(listener);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Applying a control message failed");
                }
            }
        });
    }

    /** The message, or empty (logged, one line) when the body is not a valid control message. */
    static Optional<ControlMessage> parse(byte[] body) {
        try {
            ControlMessage message = READER.readValue(body);
            if (message != null && message.action() != null && message.type() != null) {
                return Optional.of(message);
            }
            LOG.warnf("Ignoring a control message without an action or a type: %s", preview(body));
        } catch (IOException e) {
            LOG.warnf(
                    "Ignoring a malformed control message (%s): %s",
                    e.getClass().getSimpleName(), preview(body));
        }
        return Optional.empty();
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
