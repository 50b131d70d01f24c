package io.conveyor.gateway.webhook;

import java.time.Duration;
import java.util.Optional;

import io.conveyor.config.NoShorterThan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's webhook settings; application.properties maps the {@code CONVEYOR_WEBHOOK_*} variables onto them. */
@ConfigMapping(prefix = "conveyor.webhook")
public interface WebhookSettings {

    /**
     * The per-client secrets file ({@code CONVEYOR_WEBHOOK_SECRETS_FILE}): the gateway accepts {@code callbackUrl}
     * only from a client that has a secret in it (workers sign with the same file).
     */
    Optional<String> secretsFile();

    /** How often the secrets file is checked for changes ({@code CONVEYOR_WEBHOOK_SECRETS_RELOAD}). */
    @WithDefault("2S")
    @NoShorterThan("PT0.1S")
    Duration secretsReload();

    /** Accept {@code http:} callback URLs, not only {@code https:} ({@code CONVEYOR_WEBHOOK_ALLOW_HTTP}). */
    @WithDefault("false")
    boolean allowHttp();
}
