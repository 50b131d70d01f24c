package io.conveyor.worker.webhook;

import java.time.Duration;
import java.util.Optional;

import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.config.NoShorterThan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of signed webhooks; application.properties maps the {@code CONVEYOR_WEBHOOK_*} variables onto them. */
@ConfigMapping(prefix = "conveyor.webhook")
public interface WebhookConfig {

    /** The per-client secrets file ({@code CONVEYOR_WEBHOOK_SECRETS_FILE}); without it no webhook can be signed. */
    Optional<String> secretsFile();

    /** How often the secrets file is checked for changes ({@code CONVEYOR_WEBHOOK_SECRETS_RELOAD}). */
    @WithDefault("2S")
    @NoShorterThan("PT0.1S")
    Duration secretsReload();

    /**
     * Also deliver to loopback, private, link-local and other non-public addresses; cloud metadata addresses stay
     * refused. {@code CONVEYOR_WEBHOOK_ALLOW_PRIVATE}, false by default.
     */
    @WithDefault("false")
    boolean allowPrivate();

    /** One attempt's deadline, connecting and answering included ({@code CONVEYOR_WEBHOOK_TIMEOUT}). */
    @WithDefault("PT10S")
    @NoShorterThan("PT0.001S")
    Duration timeout();

    /** Attempts before a webhook is given up as FAILED ({@code CONVEYOR_WEBHOOK_MAX_ATTEMPTS}). */
    @WithDefault("8")
    @AtLeast(1)
    @AtMost(25)
    int maxAttempts();

    /** Deliveries at once per worker, also the webhook consumer's prefetch ({@code CONVEYOR_WEBHOOK_CONCURRENCY}). */
    @WithDefault("4")
    @AtLeast(1)
    @AtMost(256)
    int concurrency();
}
