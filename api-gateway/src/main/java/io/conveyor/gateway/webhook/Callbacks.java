package io.conveyor.gateway.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.webhook.SecretsFile;
import io.conveyor.webhook.WebhookSecrets;
import io.quarkus.runtime.StartupEvent;

/**
 * What the gateway checks of {@code options.callbackUrl}: an absolute https URI (http too when allowed) with a host and
 * no user info, and a submitting client with a webhook secret. Addresses are the workers' to check, when they deliver
 * (a name may resolve differently by then). A malformed secrets file stops the gateway at startup.
 */
@ApplicationScoped
public class Callbacks {

    private final SecretsFile secrets;
    private final boolean allowHttp;

    public Callbacks(WebhookSettings settings) {
        this.secrets = SecretsFile.open(settings.secretsFile(), settings.secretsReload());
        this.allowHttp = settings.allowHttp();
    }

    /** Refuses to start with a webhook setting out of range; the secrets file was read (and checked) on creation. */
    void check(@Observes @Priority(2) StartupEvent event, Config config, WebhookSettings settings) {
        ConfigLimits.refuseAny(ConfigLimits.violations(
                "conveyor.webhook", WebhookSettings.class, settings, key -> ConfigLimits.variableOf(config, key)));
    }

    /** What is wrong with a callback URL, or null when nothing is. */
    public String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URI: " + e.getReason() + " at index " + e.getIndex();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            return "must be an absolute https URI";
        }
        if (scheme.equals("http") && !allowHttp) {
            return "must be https (CONVEYOR_WEBHOOK_ALLOW_HTTP=true allows http)";
        }
        if (uri.getHost() == null) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry user info (credentials)";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a fragment";
        }
        return null;
    }

    /** Why {@code client} (null: a task without an API key) cannot have webhooks, or null when it can. */
    public String secretProblem(String client) {
        if (secrets.current().has(client)) {
            return null;
        }
        return "needs a webhook secret for client '" + WebhookSecrets.signer(client)
                + "': add a line '" + WebhookSecrets.signer(client)
                + " whsec_...' (scripts/new-webhook-secret.sh makes one) to the file CONVEYOR_WEBHOOK_SECRETS_FILE"
                + " names, for the gateway and the workers";
    }
}
