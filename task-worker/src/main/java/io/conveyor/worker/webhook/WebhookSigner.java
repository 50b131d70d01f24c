package io.conveyor.worker.webhook;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.webhook.SecretsFile;
import io.conveyor.webhook.WebhookSecrets;
import io.quarkus.runtime.StartupEvent;

/** The worker's webhook secrets, re-read when the file changes; a malformed file stops the worker at startup. */
@ApplicationScoped
public class WebhookSigner {

    private final SecretsFile file;

    public WebhookSigner(WebhookConfig config) {
        this.file = SecretsFile.open(config.secretsFile(), config.secretsReload());
    }

    /** Refuses to start with a webhook setting out of range, as the worker's own ConfigCheck does for its mappings. */
    void check(@Observes @Priority(2) StartupEvent event, Config config, WebhookConfig webhook) {
        ConfigLimits.refuseAny(ConfigLimits.violations(
                "conveyor.webhook", WebhookConfig.class, webhook, key -> ConfigLimits.variableOf(config, key)));
    }

    /** The key that signs {@code client}'s webhooks ({@code local} for none); empty when it has no secret. */
    public Optional<byte[]> key(String client) {
        return file.current().key(client);
    }

    /** Whether any secret is configured: without one, a worker delivers no webhook. */
    public boolean configured() {
        return file.current().size() > 0;
    }

    static String signer(String client) {
        return WebhookSecrets.signer(client);
    }
}
