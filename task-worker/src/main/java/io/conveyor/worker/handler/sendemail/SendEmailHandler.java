package io.conveyor.worker.handler.sendemail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.artifact.StoredArtifact;
import io.conveyor.model.TaskStatus;
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
 * <p>An artifact is attached only from a task of the email's own client ({@link ArtifactOwners}), the rule downloads
 * follow. One not written yet is waited for while its task may still write it (QUEUED, RUNNING, RETRY_SCHEDULED): the
 * attempt fails and is retried, so an email submitted right after its report waits for it within its attempts.
 *
 * <p>Fails for good (another attempt would fail alike): an unknown or broken template, a model that lacks a value,
 * no subject, attachments over the cap, an artifact of no task of this client (unknown, another client's, or past its
 * retention), or one whose task finished without it. A store that cannot be read, or an SMTP server that does not
 * answer, is retried.
 */
@ApplicationScoped
public class SendEmailHandler implements TaskHandler<SendEmailPayload> {

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final Mailer mailer;
    private final EmailTemplates templates;
    private final Artifacts artifacts;
    private final ArtifactOwners owners;
    private final long maxAttachmentBytes;

    public SendEmailHandler(
            Mailer mailer, EmailTemplates templates, Artifacts artifacts, ArtifactOwners owners, EmailConfig config) {
        this.mailer = mailer;
        this.templates = templates;
        this.artifacts = artifacts;
        this.owners = owners;
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
        attach(mail, payload, context.taskId());
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

    private void attach(Mail mail, SendEmailPayload payload, String taskId) throws IOException {
        long total = 0;
        boolean clientRead = false;
        String client = null;
        for (EmailAttachment attachment : payload.attachments()) {
            byte[] bytes;
            if (attachment.content() != null) {
                bytes = Base64.getDecoder().decode(attachment.content());
            } else {
                if (!clientRead) {
                    client = owners.clientOf(taskId);
                    clientRead = true;
                }
                bytes = artifact(attachment, client, maxAttachmentBytes - total);
            }
            total += bytes.length;
            if (total > maxAttachmentBytes) {
                throw overCap(attachment);
            }
            mail.addAttachment(attachment.filename(), bytes, contentType(attachment));
        }
    }

    /**
     * The artifact's bytes, when a task of {@code client}'s wrote it; refused unread when it is larger than {@code
     * room}.
     */
    private byte[] artifact(EmailAttachment attachment, String client, long room) throws IOException {
        String name = attachment.artifact();
        String producerId = ArtifactOwners.taskIdOf(name);
        ArtifactOwners.Producer producer = owners.producerOf(name);
        if (producer.status() == null || !Objects.equals(producer.client(), client)) {
            // One message for unknown and foreign tasks: an email must not tell which ids exist.
            throw new NonRetryableException("Attachment '" + attachment.filename() + "': artifact '" + name
                    + "' is not from a task of this email's client (task '" + producerId
                    + "' is unknown, another client's, or past its retention)");
        }
        Optional<StoredArtifact> found = artifacts.find(name);
        if (found.isEmpty()) {
            if (!producer.status().terminal()) {
                throw new IllegalStateException("Attachment '" + attachment.filename() + "': artifact '" + name
                        + "' is not written yet, task '" + producerId + "' is " + producer.status()
                        + "; the email waits for it as long as its attempts last");
            }
            throw new NonRetryableException("Attachment '" + attachment.filename() + "': no artifact '" + name
                    + "' in the store, and task '" + producerId + "' is " + producer.status()
                    + (producer.status() == TaskStatus.SUCCEEDED ? " (its artifact was removed)" : ""));
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
