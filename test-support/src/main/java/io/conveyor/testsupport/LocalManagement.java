package io.conveyor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ's management HTTP API, for tests that look at what the gateway set through it (policies) and clean it up:
 * {@code RABBITMQ_MANAGEMENT_URL}, default {@code http://<RABBITMQ_HOST>:15672}, with the tests' broker credentials
 * (read as {@link ServiceSettings}: a system property first, then the environment).
 * {@link #require()} enables the management plugin when it is off (online: the broker is not restarted), or fails
 * saying how.
 */
public final class LocalManagement {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private LocalManagement() {}

    public static String url() {
        String configured = ServiceSettings.get("RABBITMQ_MANAGEMENT_URL", null);
        String url =
                configured == null || configured.isBlank() ? "http://" + LocalBroker.host() + ":15672" : configured;
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The management API, its plugin enabled first if it is off; fails when it cannot be had. */
    public static LocalManagement require() {
        LocalManagement management = new LocalManagement();
        if (management.running()) {
            return management;
        }
        String enabling;
        try {
            Rabbitmqctl.plugins("enable", "rabbitmq_management");
            enabling = "";
        } catch (RuntimeException e) {
            enabling = " (enabling it failed: " + e.getMessage() + ")";
        }
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(management::running);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The tests need RabbitMQ's management API at " + url() + enabling
                    + ": enable it with `rabbitmq-plugins enable rabbitmq_management` (no restart needed), or run "
                    + "`bash .ci/run`");
        }
        return management;
    }

    /** The management API if it answers now; nothing is enabled. */
    public static Optional<LocalManagement> ifRunning() {
        LocalManagement management = new LocalManagement();
        return management.running() ? Optional.of(management) : Optional.empty();
    }

    /** Whether the API answers the tests' credentials. */
    public boolean running() {
        try {
            return send(request("/api/overview").GET()).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** A queue of the tests' vhost as the API shows it (its {@code policy} appears with the next statistics). */
    public Optional<JsonNode> queue(String name) {
        return read("/api/queues/" + segment(LocalBroker.virtualHost()) + "/" + segment(name));
    }

    /** A (user) policy of the tests' vhost. */
    public Optional<JsonNode> policy(String name) {
        return read(policyPath(name));
    }

    /** Deletes a policy of the tests' vhost; nothing happens when there is none. */
    public void deletePolicy(String name) {
        int status = send(request(policyPath(name)).DELETE()).statusCode();
        if (status != 204 && status != 404) {
            throw new IllegalStateException("Deleting policy " + name + " answered " + status);
        }
    }

    /**
     * Closes the connections of the tests' vhost whose client named them {@code name} (the broker, not the client,
     * closes them, as in an outage); answers how many it closed. The API lists a new connection within seconds.
     */
    public int closeConnections(String name) {
        JsonNode connections = read("/api/connections").orElseThrow();
        int closed = 0;
        for (JsonNode connection : connections) {
            if (name.equals(connection.path("user_provided_name").asText())
                    && LocalBroker.virtualHost().equals(connection.path("vhost").asText())) {
                int status = send(request("/api/connections/"
                                        + segment(connection.path("name").asText()))
                                .header("X-Reason", "closed by a test")
                                .DELETE())
                        .statusCode();
                if (status != 204 && status != 404) {
                    throw new IllegalStateException("Closing connection " + name + " answered " + status);
                }
                closed++;
            }
        }
        return closed;
    }

    private Optional<JsonNode> read(String path) {
        HttpResponse<String> answer = send(request(path).GET());
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + answer.statusCode());
        }
        try {
            return Optional.of(Json.mapper().readTree(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String policyPath(String name) {
        return "/api/policies/" + segment(LocalBroker.virtualHost()) + "/" + segment(name);
    }

    private HttpRequest.Builder request(String path) {
        String credentials = LocalBroker.username() + ":" + LocalBroker.password();
        return HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(TIMEOUT)
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
