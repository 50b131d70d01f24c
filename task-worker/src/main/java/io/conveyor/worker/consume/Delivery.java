package io.conveyor.worker.consume;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

/**
 * One message as the pipeline carries it from step to step: how to settle it, what the broker delivered, and what
 * is known before its body is read (its attempt and a type to name it by, even when the body is poison).
 */
record Delivery(
        Acknowledger acks, Envelope envelope, AMQP.BasicProperties props, byte[] body, int attempt, String typeHint) {

    long tag() {
        return envelope.getDeliveryTag();
    }

    /** The routing key the message really had: a dead letter records it as {@code x-original-routing-key}. */
    String routingKey() {
        return envelope.getRoutingKey();
    }
}
