package io.conveyor.worker.handler.sendemail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.artifact.StoredArtifact;
import io.conveyor.model.payload.EmailAttachment;
import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.result.EmailSent;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/**
 * Sends the email over SMTP ({@code SMTP_HOST}/{@code SMTP_PORT}). The Message-ID is derived from the task id, so a
 * resend after a crash carries the same id and receivers can recognise the duplicate.
 *
 * <p>The content is the payload's {@code body} or its rendered {@code template} ({@link EmailTemplates}). HTML is sent
 * as multipart/alternative with a text part: the payload's {@code text}, the template's {@code .txt}, or else the HTML
 * with its tags stripped ({@link HtmlText}). Attachments are read whole, artifacts from the store; together they may
 * not exceed {@code CONVEYOR_EMAIL_MAX_ATTACHMENT_BYTES}.
 *
 * <p>Fails for good (another attempt would fail alike): an unknown or broken template, a model that lacks a value,
 * no subject, an attachment over the cap, a missing artifact. An artifact exists once the task that writes it
 * succeeded and until it is deleted, so a missing one is an ordering mistake (chain the email with a batch's
 * {@code onComplete}) or a deleted file; retrying would only delay the answer. A store that cannot be read, or an SMTP
 * server that does not answer, is retried.
 */
@ApplicationScoped
public class SendEmailHandler implements TaskHandler<SendEmailPayload> {

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final Mailer mailer;
    private final EmailTemplates templates;
    private final Artifacts artifacts;
    private final long maxAttachmentBytes;

    public SendEmailHandler(Mailer mailer, EmailTemplates templates, Artifacts artifacts, EmailConfig config) {
        this.mailer = mailer;
        this.templates = templates;
        this.artifacts = artifacts;
        this.maxAttachmentBytes = config.maxAttachmentBytes();
    }

    @Override
    public Class<SendEmailPayload> payloadType() {
        return SendEmailPayload.class;
    }

    @Override
    public EmailSent handle(SendEmailPayload payload, TaskContext context) throws IOException {
        String messageId = "<" + context.taskId() + "@conveyor>";
        Mail mail = new Mail().addTo(payload.to());
        if (payload.template() != null) {
            EmailTemplates.Rendered rendered = templates.render(payload.template(), payload.model());
            String subject = payload.subject() != null ? payload.subject() : rendered.subject();
            if (subject == null || subject.isBlank()) {
                throw new NonRetryableException("Email template '" + payload.template() + "' has no subject ("
                        + payload.template() + ".subject.txt) and the payload gives none");
            }
            mail.setSubject(subject);
            content(mail, rendered.html(), rendered.text());
        } else if (payload.html()) {
            mail.setSubject(payload.subject());
            content(mail, payload.body(), payload.text());
        } else {
            mail.setSubject(payload.subject()).setText(payload.body());
        }
        mail.setCc(payload.cc()).setBcc(payload.bcc()).addHeader("Message-ID", messageId);
        if (payload.replyTo() != null) {
            mail.setReplyTo(payload.replyTo());
        }
        attach(mail, payload);
        mailer.send(mail);
        return new EmailSent(messageId);
    }

    /** HTML with its text alternative, or text alone. */
    private static void content(Mail mail, String html, String text) {
        if (html == null) {
            mail.setText(text);
            return;
        }
        mail.setHtml(html).setText(text != null ? text : HtmlText.of(html));
    }

    private void attach(Mail mail, SendEmailPayload payload) throws IOException {
        long total = 0;
        for (EmailAttachment attachment : payload.attachments()) {
            byte[] bytes = attachment.content() != null
                    ? Base64.getDecoder().decode(attachment.content())
                    : artifact(attachment, maxAttachmentBytes - total);
            total += bytes.length;
            if (total > maxAttachmentBytes) {
                throw overCap(attachment);
            }
            mail.addAttachment(attachment.filename(), bytes, contentType(attachment));
        }
    }

    /** The artifact's bytes, refused unread when it is larger than {@code room}. */
    private byte[] artifact(EmailAttachment attachment, long room) throws IOException {
        Optional<StoredArtifact> found = artifacts.find(attachment.artifact());
        if (found.isEmpty()) {
            throw new NonRetryableException("Attachment '" + attachment.filename() + "': no artifact '"
                    + attachment.artifact() + "' in the store; an artifact exists once the task that writes it"
                    + " succeeded (chain this email with a batch's onComplete)");
        }
        StoredArtifact artifact = found.get();
        if (artifact.size() > room) {
            throw overCap(attachment);
        }
        try (InputStream in = artifact.open(0, artifact.size())) {
            return in.readAllBytes();
        }
    }

    private NonRetryableException overCap(EmailAttachment attachment) {
        return new NonRetryableException("Attachment '" + attachment.filename()
                + "' takes the email's attachments over "
                + maxAttachmentBytes + " bytes (CONVEYOR_EMAIL_MAX_ATTACHMENT_BYTES); send a link to the artifact"
                + " instead");
    }

    private static String contentType(EmailAttachment attachment) {
        if (attachment.contentType() != null) {
            return attachment.contentType();
        }
        String guessed = URLConnection.guessContentTypeFromName(attachment.filename());
        return guessed != null ? guessed : DEFAULT_CONTENT_TYPE;
    }
}
