package io.conveyor.worker.handler.sendemail;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.result.EmailSent;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/**
 * Sends the email over SMTP ({@code SMTP_HOST}/{@code SMTP_PORT}). The Message-ID is derived from the task id,
 * so a resend after a crash carries the same id and receivers can recognise the duplicate.
 */
@ApplicationScoped
public class SendEmailHandler implements TaskHandler<SendEmailPayload> {

    /** The task's result. */
    private final Mailer mailer;

    public SendEmailHandler(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public Class<SendEmailPayload> payloadType() {
        return SendEmailPayload.class;
    }

    @Override
    public EmailSent handle(SendEmailPayload payload, TaskContext context) {
        String messageId = "<" + context.taskId() + "@conveyor>";
        Mail mail = payload.html()
                ? Mail.withHtml(payload.to(), payload.subject(), payload.body())
                : Mail.withText(payload.to(), payload.subject(), payload.body());
        mail.setCc(payload.cc()).setBcc(payload.bcc()).addHeader("Message-ID", messageId);
        mailer.send(mail);
        return new EmailSent(messageId);
    }
}
