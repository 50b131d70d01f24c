package io.conveyor.gateway.limits;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.amqp.BrokerConfig;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Json;

/**
 * The calls to RabbitMQ's management HTTP API the gateway makes: list the policies of its virtual host, set one, and
 * list the queues' message and consumer counts (for the operations API). Blocking, with the JDK's HTTP client; failures are {@link IOException}s whose message says what to fix and
 * never carries the credentials.
 */
public final class ManagementApi {

    static final int DEFAULT_PORT = 15672;

    private final HttpClient client;
    private final URI base;
    private final String vhost;
    private final String authorization;
    private final Duration timeout;

    /** The API the gateway's configuration names: {@code RABBITMQ_MANAGEMENT_URL} or the broker's host on 15672. */
    public static ManagementApi of(GatewayConfig config) {
        BrokerConfig broker = config.broker();
        return new ManagementApi(
                baseUrl(
                        config.queueLimits().managementUrl(),
                        broker.settings("management").addresses().get(0).host()),
                broker.virtualHost(),
                broker.username(),
                broker.password(),
                config.queueLimits().requestTimeout());
    }

    ManagementApi(URI base, String vhost, String username, String password, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.base = base;
        this.vhost = vhost;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /**
     * The API's base URL: {@code configured} ({@code RABBITMQ_MANAGEMENT_URL}), else the broker's host on port
     * 15672. A value that is not an http or https URL stops the gateway at startup.
     */
    static URI baseUrl(Optional<String> configured, String brokerHost) {
        String host = brokerHost.contains(":") && !brokerHost.startsWith("[") ? "[" + brokerHost + "]" : brokerHost;
        String url = configured.map(String::strip).orElse("http://" + host + ":" + DEFAULT_PORT);
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        boolean http = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!http || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid configuration: conveyor.queue-limits.management-url "
                    + "(RABBITMQ_MANAGEMENT_URL) must be an http:// or https:// URL, such as http://rabbitmq:15672");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("Invalid configuration: conveyor.queue-limits.management-url "
                    + "(RABBITMQ_MANAGEMENT_URL) must not carry credentials: the gateway signs in with "
                    + "RABBITMQ_USERNAME and RABBITMQ_PASSWORD");
        }
        return uri;
    }

    /** Where the API is, for logs: scheme, host and port only, so no user info or query reaches a log. */
    public String where() {
        return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    /** Every (user) policy of the virtual host, as a JSON array. */
    JsonNode policies() throws IOException, InterruptedException {
        HttpResponse<String> answer = send(request(policiesPath()).GET(), "listing the policies");
        return Json.mapper().readTree(answer.body());
    }

    /**
     * Every queue of the virtual host with its ready and unacknowledged messages and consumers, as a JSON array: one
     * call for all queues. The counts are the broker's last sample (every few seconds), not a live reading.
     */
    public JsonNode queues() throws IOException, InterruptedException {
        String columns = "?columns=name,messages_ready,messages_unacknowledged,consumers";
        HttpResponse<String> answer =
                send(request("/api/queues/" + segment(vhost) + columns).GET(), "listing the queues");
        return Json.mapper().readTree(answer.body());
    }

    /** Creates or replaces a policy. */
    void put(LimitPolicy policy) throws IOException, InterruptedException {
        String body = Json.mapper().writeValueAsString(policy.body());
        send(
                request(policiesPath() + "/" + segment(policy.name()))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)),
                "setting policy " + policy.name());
    }

    private String policiesPath() {
        return "/api/policies/" + segment(vhost);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what)
            throws IOException, InterruptedException {
        HttpResponse<String> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException(what + ": it cannot be reached. Is the management plugin enabled "
                    + "(rabbitmq-plugins enable rabbitmq_management), and RABBITMQ_MANAGEMENT_URL right?");
        } catch (HttpTimeoutException e) {
            throw new IOException(what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new IOException(what + ": " + e);
        }
        int status = answer.statusCode();
        if (status / 100 == 2) {
            return answer;
        }
        if (status == 401 || status == 403) {
            throw new IOException(what + ": refused (" + status + "). The user RABBITMQ_USERNAME names needs the "
                    + "policymaker or administrator tag, and RABBITMQ_PASSWORD must be its password");
        }
        throw new IOException(what + ": answered " + status + " " + reason(answer.body()));
    }

    /** The broker's own reason, shortened; it never echoes the credentials. */
    private static String reason(String body) {
        String reason;
        try {
            reason = Json.mapper().readTree(body).path("reason").asText(body);
        } catch (IOException e) {
            reason = body;
        }
        reason = reason.replaceAll("\\s+", " ").strip();
        return reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
    }

    /** One path segment, percent-encoded: the default virtual host {@code /} becomes {@code %2F}. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
