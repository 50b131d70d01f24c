package io.conveyor.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One limit, {@code conveyor.max-body-bytes} (here its default, 256 KiB), for every body: announced by
 * Content-Length or sent chunked without a length, a larger body is a problem+json 413 and nothing is recorded
 * or published; a smaller one is read and validated.
 */
@QuarkusTest
class BodyLimitTest {

    static final String TOO_LARGE = "urn:conveyor:problem:payload-too-large";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @TestHTTPResource("/")
    URL base;

    @AfterAll
    static void nothingWasPublished() {
        for (String type : new String[] {"noop", "send_email"}) {
            assertEquals(0, services.broker().messageCount(Topology.taskQueue(type)), "published to " + type);
        }
    }

    @Test
    void aChunkedTaskOverTheLimitIs413() throws Exception {
        long before = recordedTasks();
        HttpResponse<String> answer = chunkedPost(base, "api/v1/tasks", noopTask(300 * 1024));
        assertTooLarge(answer);
        assertEquals(before, recordedTasks(), "a refused task was recorded");
    }

    @Test
    void aChunkedSeedRequestOverTheLimitIs413() throws Exception {
        long before = recordedTasks();
        HttpResponse<String> answer = chunkedPost(base, "async-task", seedRequest(300 * 1024));
        assertTooLarge(answer);
        assertEquals(before, recordedTasks(), "a refused task was recorded");
    }

    @Test
    void aChunkedTaskUnderTheLimitIsValidated() throws Exception {
        assertIsValidated(chunkedPost(base, "api/v1/tasks", noopTask(200 * 1024)));
    }

    @Test
    void anAnnouncedTaskOverTheLimitIs413() throws Exception {
        long before = recordedTasks();
        assertTooLarge(post(base, "api/v1/tasks", noopTask(300 * 1024)));
        assertEquals(before, recordedTasks(), "a refused task was recorded");
    }

    /**
     * HTTP/2 (h2c, as the JDK's HttpClient asks for by default): reads are served, and a body is limited and
     * validated as over HTTP/1.1. Every HTTP/2 request once answered 500: the limit read its (empty) body, and Quarkus
     * REST cannot take an HTTP/2 request whose body was read.
     */
    @Test
    void http2RequestsAreServedAndLimited() throws Exception {
        HttpClient http2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) { // the first request upgrades the connection, the second is HTTP/2 from the start
            HttpResponse<String> types = http2.send(
                    HttpRequest.newBuilder(URI.create(base + "api/v1/task-types"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, types.statusCode(), types.body());
        }
        HttpResponse<String> tooLarge = http2.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/tasks"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(noopTask(300 * 1024)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, tooLarge.version());
        assertTooLarge(tooLarge);
        assertIsValidated(http2.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/tasks"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(noopTask(1024)))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code {"type":"noop","payload":{"x":"aaa..."}}}, of about {@code size} bytes: noop has no field x. */
    static String noopTask(int size) {
        return "{\"type\":\"noop\",\"payload\":{\"x\":\"" + "a".repeat(size) + "\"}}";
    }

    static String seedRequest(int size) {
        return "{\"task_type\":\"send_email\",\"task_param\":\"" + "a".repeat(size) + "@example.com\"}";
    }

    /** POSTs {@code body} as JSON with {@code Transfer-Encoding: chunked}: no Content-Length announces its size. */
    static HttpResponse<String> chunkedPost(URL base, String path, String body)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} as JSON with its Content-Length. */
    static HttpResponse<String> post(URL base, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    static void assertTooLarge(HttpResponse<String> answer) {
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(
                "application/problem+json",
                answer.headers().firstValue("Content-Type").orElse(""));
        assertTrue(answer.body().contains("\"type\":\"" + TOO_LARGE + "\""), answer.body());
        assertTrue(answer.body().contains("\"status\":413"), answer.body());
    }

    /** Read and refused by validation (noop has no field x), not by the size limit. */
    static void assertIsValidated(HttpResponse<String> answer) {
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals(
                "application/problem+json",
                answer.headers().firstValue("Content-Type").orElse(""));
        assertTrue(answer.body().contains("payload.x"), answer.body());
    }

    private static long recordedTasks() {
        return (Long) services.redis().call("ZCARD", StateKeys.index(null, null));
    }
}
