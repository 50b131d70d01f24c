package io.conveyor.gateway.publish;

/**
 * The broker refused a task because its type's queue is at its length limit: a nack under the limit policy's
 * {@code reject-publish} overflow. Nothing was accepted; the client should retry later. The limit named is this
 * gateway's setting (an operator's policy may hold the queue to a lower one).
 */
public class QueueFullException extends RuntimeException {

    public QueueFullException(String type, long maxLength) {
        super("The queue of task type " + type + " is full (max " + maxLength + " messages)", null, false, false);
    }
}
