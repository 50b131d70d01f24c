package io.conveyor.model.payload;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.EmailSent;

/** An email sent over SMTP. Result: {@code {messageId}}. */
@TaskDefinition(
        name = "send_email",
        example =
                "{\"to\":\"ada@example.com\",\"subject\":\"Your report is ready\",\"body\":\"Download it from your account.\"}",
        description = "Send an email over SMTP",
        maxAttempts = 5,
        result = EmailSent.class,
        timeout = "PT30S")
public record SendEmailPayload(
        @NotBlank @Email String to,
        @NotBlank @Size(max = 998) String subject,
        @NotNull String body,
        Boolean html,
        @Size(max = 100) List<@NotBlank @Email String> cc,
        @Size(max = 100) List<@NotBlank @Email String> bcc) {

    public SendEmailPayload {
        html = html != null && html;
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
    }
}
