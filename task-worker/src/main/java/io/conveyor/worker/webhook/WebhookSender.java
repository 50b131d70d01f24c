package io.conveyor.worker.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookSignature;
import io.conveyor.worker.handler.fetch.AddressPolicy;
import io.conveyor.worker.handler.fetch.Network;

/**
 * Makes one delivery attempt: POSTs the job's event, signed, to its URL, through the same SSRF guard as image fetches.
 * Every address the host resolves to must be public unless {@link WebhookConfig#allowPrivate()} (cloud metadata is
 * refused even then); redirects are never followed (a 3xx is a failed attempt); one deadline covers connecting and the
 * answer, whose body is discarded. The guard shares the fetcher's limit: the client resolves the name again, and the
 * JVM's address cache makes it see the checked answer, but a cache entry expiring in between could be re-pointed.
 */
@ApplicationScoped
public class WebhookSender {

    /** How an attempt ended. */
    enum Kind {
        DELIVERED,
        /** Worth another attempt: a non-2xx answer, no answer, a name that does not resolve. */
        RETRY,
        /** Never worth another: a refused address or URL, no secret, 410 Gone. */
        PERMANENT
    }

    record Attempt(Kind kind, String error) {}

    private final Network network;
    private final HttpClient client;
    private final boolean allowPrivate;
    private final Duration timeout;
    private final String userAgent;

    public WebhookSender(
            Network network,
            WebhookConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.network = network;
        this.allowPrivate = config.allowPrivate();
        this.timeout = config.timeout();
        this.userAgent = "Conveyor-Webhook/" + version;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    Attempt send(WebhookJob job, byte[] key) throws InterruptedException {
        URI uri;
        try {
            uri = checked(job.url());
            for (InetAddress address : network.resolve(uri.getHost())) {
                String refusal = AddressPolicy.refusal(address, allowPrivate, "CONVEYOR_WEBHOOK_ALLOW_PRIVATE");
                if (refusal != null) {
                    return new Attempt(
                            Kind.PERMANENT,
                            "Refused: " + uri.getHost() + " resolves to " + address.getHostAddress() + ", " + refusal);
                }
            }
        } catch (URISyntaxException e) {
            return new Attempt(Kind.PERMANENT, "Refused: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Attempt(Kind.RETRY, "Unknown host " + e.getMessage());
        }
        byte[] body = job.body();
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(WebhookSignature.ID, job.event().id())
                .header(WebhookSignature.TIMESTAMP, String.valueOf(timestamp))
                .header(
                        WebhookSignature.SIGNATURE,
                        WebhookSignature.sign(key, job.event().id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> answer =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        int status;
        try {
            // The request timeout covers the headers; this deadline also covers a body that trickles in.
            status = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Attempt(Kind.RETRY, "No answer within " + timeout);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Attempt(Kind.RETRY, cause instanceof IOException ? describe(cause) : cause.toString());
        }
        if (status >= 200 && status < 300) {
            return new Attempt(Kind.DELIVERED, null);
        }
        return new Attempt(status == 410 ? Kind.PERMANENT : Kind.RETRY, "HTTP " + status);
    }

    /** An absolute http(s) URI with a host and no user info. */
    static URI checked(String url) throws URISyntaxException {
        URI uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new URISyntaxException(url, "the callback URL must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new URISyntaxException(url, "the callback URL needs a host name and no user info");
        }
        return uri;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
