package io.conveyor.worker.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.worker.handler.fetch.FetchConfig;
import io.conveyor.worker.handler.fetch.Network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without the allowance, non-public addresses are refused before any connection, for good. */
class WebhookSenderTest {

    private static WebhookConfig config(boolean allowPrivate) {
        return new WebhookConfig() {
            public Optional<String> secretsFile() {
                return Optional.empty();
            }

            public Duration secretsReload() {
                return Duration.ofSeconds(2);
            }

            public boolean allowPrivate() {
                return allowPrivate;
            }

            public Duration timeout() {
                return Duration.ofSeconds(1);
            }

            public int maxAttempts() {
                return 3;
            }

            public int concurrency() {
                return 1;
            }
        };
    }

    private static Network network() {
        return new Network(new FetchConfig() {
            public boolean allowPrivate() {
                return false;
            }

            public long maxBytes() {
                return 1;
            }

            public Duration timeout() {
                return Duration.ofSeconds(1);
            }
        });
    }

    private static WebhookSender.Attempt send(String url, boolean allowPrivate) throws InterruptedException {
        OutcomeEvent event =
                new OutcomeEvent("evt_1", "t-1", "noop", TaskStatus.SUCCEEDED, 1, Instant.now(), null, null, null);
        return new WebhookSender(network(), config(allowPrivate), "test")
                .send(new WebhookJob(event, url, null, 1), new byte[32]);
    }

    @Test
    void refusesPrivateLoopbackAndMetadataAddresses() throws Exception {
        for (String url : new String[] {"http://10.0.0.1/hook", "http://127.0.0.1:9/hook", "https://[::1]/hook"}) {
            WebhookSender.Attempt attempt = send(url, false);
            assertEquals(WebhookSender.Kind.PERMANENT, attempt.kind(), url);
            assertTrue(attempt.error().contains("CONVEYOR_WEBHOOK_ALLOW_PRIVATE=true allows it"), attempt.error());
        }
        WebhookSender.Attempt metadata = send("http://169.254.169.254/latest", true);
        assertEquals(WebhookSender.Kind.PERMANENT, metadata.kind());
        assertTrue(metadata.error().contains("cloud metadata"), metadata.error());
    }

    @Test
    void refusesOtherSchemesAndUserInfo() throws Exception {
        assertEquals(
                WebhookSender.Kind.PERMANENT, send("ftp://example.com/x", false).kind());
        assertEquals(
                WebhookSender.Kind.PERMANENT,
                send("https://user:pw@example.com/x", false).kind());
    }
}
