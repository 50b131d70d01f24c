package io.conveyor.worker.handler.sendemail;

import java.nio.file.Path;
import java.util.Optional;

import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.worker.handler.fetch.ByteSizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Settings of {@code send_email}; application.properties maps the {@code CONVEYOR_EMAIL_*} variables onto them. */
@ConfigMapping(prefix = "conveyor.email")
public interface EmailConfig {

    /** Largest total of attachments: held in memory while the email is sent. */
    long MAX_ATTACHMENT_BYTES = 1L << 30;

    /**
     * The deployment's templates, {@code <name>.html}, {@code <name>.txt} and {@code <name>.subject.txt}, found here
     * before the built-in ones. {@code CONVEYOR_EMAIL_TEMPLATES}; none by default (only the built-in templates).
     */
    Optional<Path> templatesDir();

    /**
     * Most bytes all attachments of one email may add up to, inline and artifacts, as a size such as {@code 10M}: 1
     * byte to 1 GiB. An email over it fails for good. {@code CONVEYOR_EMAIL_MAX_ATTACHMENT_BYTES}, 10 MiB by default.
     */
    @WithDefault("10M")
    @WithConverter(ByteSizeConverter.class)
    @AtLeast(1)
    @AtMost(MAX_ATTACHMENT_BYTES)
    long maxAttachmentBytes();
}
