package io.conveyor.model.payload;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import io.conveyor.model.validation.Base64Content;
import io.conveyor.model.validation.CrossChecked;
import io.conveyor.model.validation.PlainFileName;

/**
 * One file attached to a {@code send_email}: either an artifact another task wrote, by its name in the artifact store,
 * or small content carried in the payload itself. Exactly one of {@code artifact} and {@code content}.
 *
 * @param filename    what the recipient sees, a plain file name ({@code report.csv})
 * @param contentType its media type without parameters ({@code application/pdf}); guessed from {@code filename} when
 *                    absent, {@code application/octet-stream} when that says nothing
 * @param artifact    the name of an artifact in the store, {@code <taskId>.<extension>} as a task's result names it,
 *                    of a task of the email's own client; one not written yet is waited for while its task runs
 * @param content     the bytes themselves, base64 (standard alphabet, padded), at most {@value #MAX_INLINE_BYTES}
 *                    bytes decoded: anything larger belongs in an artifact
 */
@CrossChecked
public record EmailAttachment(
        @NotBlank @PlainFileName String filename,

        @Pattern(
                regexp = "[A-Za-z0-9][A-Za-z0-9.+_-]{0,126}/[A-Za-z0-9][A-Za-z0-9.+_-]{0,126}",
                message = "must be a media type such as application/pdf, without parameters")
        String contentType,

        @PlainFileName String artifact,

        @Base64Content(maxBytes = EmailAttachment.MAX_INLINE_BYTES)
        String content)
        implements CrossChecked.Checks {

    /** Most bytes inline {@code content} may decode to: 128 KiB, well within the gateway's default body limit. */
    public static final int MAX_INLINE_BYTES = 128 * 1024;

    /** An artifact, attached under {@code filename}. */
    public static EmailAttachment ofArtifact(String filename, String artifact) {
        return new EmailAttachment(filename, null, artifact, null);
    }

    @Override
    public List<CrossChecked.FieldError> crossFieldErrors() {
        List<CrossChecked.FieldError> errors = new ArrayList<>();
        if (artifact == null && content == null) {
            errors.add(new CrossChecked.FieldError("artifact", "either artifact or content is required"));
        } else if (artifact != null && content != null) {
            errors.add(new CrossChecked.FieldError("content", "must not be given with artifact; give one of them"));
        }
        return errors;
    }
}
