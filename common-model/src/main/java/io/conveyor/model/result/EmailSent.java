package io.conveyor.model.result;

/**
 * {@code send_email}: the message was handed to the SMTP server.
 *
 * @param messageId the Message-ID header the email carries, {@code <taskId@conveyor>}: the same on every attempt
 */
public record EmailSent(String messageId) {}
