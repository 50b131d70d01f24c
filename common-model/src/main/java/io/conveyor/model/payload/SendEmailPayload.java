package io.conveyor.model.payload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.EmailSent;
import io.conveyor.model.validation.CrossChecked;

/**
 * An email sent over SMTP, written in the payload ({@code body}) or rendered from a template the worker's deployment
 * provides ({@code template} and its {@code model}). Result: {@code {messageId}}, {@code <taskId@conveyor>}, the same
 * on every attempt.
 *
 * <p>Templates are Qute files in the worker's {@code CONVEYOR_EMAIL_TEMPLATES} directory (and the worker's built-in
 * {@code welcome}): {@code <name>.html} (HTML, model values escaped), {@code <name>.txt} (the text alternative, or the
 * whole email when there is no {@code .html}) and {@code <name>.subject.txt} (the subject, unless the payload gives
 * one). The gateway does not know the worker's templates: an unknown name, or a model that lacks a value the template
 * uses, fails the task for good in the worker, with a message that says which.
 *
 * @param to          the recipient
 * @param subject     the subject, at most 998 characters; required unless a template gives it
 * @param body        the body as written; required unless {@code template} is given, and not with it
 * @param html        {@code body} is HTML (default false); it is sent with a text alternative: {@code text}, or the
 *                    body with its tags stripped
 * @param cc          copies, at most 100
 * @param bcc         blind copies, at most 100
 * @param replyTo     where replies go (the Reply-To header), instead of the sender
 * @param text        the text alternative of an HTML {@code body}; only with {@code html: true}
 * @param template    the name of a template: lowercase letters, digits, {@code _} and {@code -}, at most 64
 * @param model       the template's values, a JSON object of any values; only with {@code template}
 * @param attachments at most {@value #MAX_ATTACHMENTS} files, artifacts or inline content (see {@link
 *                    EmailAttachment}); the worker caps their total size ({@code CONVEYOR_EMAIL_MAX_ATTACHMENT_BYTES})
 */
@TaskDefinition(
        name = "send_email",
        example =
                "{\"to\":\"ada@example.com\",\"subject\":\"Your report is ready\",\"body\":\"Download it from your account.\"}",
        description = "Send an email over SMTP",
        maxAttempts = 5,
        result = EmailSent.class,
        timeout = "PT30S")
@CrossChecked
public record SendEmailPayload(
        @NotBlank @Email String to,
        @Size(max = 998) String subject,
        String body,
        Boolean html,
        @Size(max = 100) List<@NotBlank @Email String> cc,
        @Size(max = 100) List<@NotBlank @Email String> bcc,
        @Email @Size(min = 1, max = 254) String replyTo,
        String text,

        @Pattern(
                regexp = "[a-z0-9][a-z0-9_-]{0,63}",
                message = "must be 1 to 64 lowercase letters, digits, '_' or '-', starting with a letter or digit")
        String template,

        Map<String, Object> model,

        // Left out when empty: a written email is the JSON it always was, which workers of the version before
        // attachments (strict about unknown fields) still read during a rolling upgrade.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @Size(max = MAX_ATTACHMENTS)
        List<@NotNull @Valid EmailAttachment> attachments)
        implements CrossChecked.Checks {

    /** Most attachments one email may carry. */
    public static final int MAX_ATTACHMENTS = 10;

    public SendEmailPayload {
        html = html != null && html;
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        // Not Map.copyOf: a model value may be JSON null.
        model = model == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(model));
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** An email as written: the fields every version of this type had. */
    public SendEmailPayload(String to, String subject, String body, Boolean html, List<String> cc, List<String> bcc) {
        this(to, subject, body, html, cc, bcc, null, null, null, null, null);
    }

    /** An email rendered from {@code template} with {@code model}, the subject coming from the template. */
    public static SendEmailPayload ofTemplate(String to, String template, Map<String, Object> model) {
        return new SendEmailPayload(to, null, null, null, null, null, null, null, template, model, null);
    }

    /** This email with its replies going to {@code replyTo}. */
    public SendEmailPayload withReplyTo(String replyTo) {
        return new SendEmailPayload(to, subject, body, html, cc, bcc, replyTo, text, template, model, attachments);
    }

    /** This email with these attachments instead of any it had. */
    public SendEmailPayload withAttachments(List<EmailAttachment> attachments) {
        return new SendEmailPayload(to, subject, body, html, cc, bcc, replyTo, text, template, model, attachments);
    }

    @Override
    public List<CrossChecked.FieldError> crossFieldErrors() {
        List<CrossChecked.FieldError> errors = new ArrayList<>();
        if (template == null) {
            if (body == null) {
                errors.add(new CrossChecked.FieldError("body", "is required unless template is given"));
            }
            if (subject == null || subject.isBlank()) {
                errors.add(new CrossChecked.FieldError("subject", "must not be blank unless template is given"));
            }
            if (model != null) {
                errors.add(new CrossChecked.FieldError("model", "is only used with template"));
            }
        } else {
            if (body != null) {
                errors.add(new CrossChecked.FieldError("body", "must not be given with template; give one of them"));
            }
            if (subject != null && subject.isBlank()) {
                errors.add(new CrossChecked.FieldError(
                        "subject", "must not be blank; leave it out to use the template's subject"));
            }
            if (html) {
                errors.add(new CrossChecked.FieldError(
                        "html", "is only for body; a template is HTML when it has a .html file"));
            }
        }
        if (text != null && (!html || body == null)) {
            errors.add(new CrossChecked.FieldError(
                    "text",
                    "is only the text alternative of an HTML body (html: true); a template's is its .txt file"));
        }
        return errors;
    }
}
