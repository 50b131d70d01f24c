package io.conveyor.worker.handler.resizeimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.worker.handler.resizeimage.ResizeImageTest.resize;
import static io.conveyor.worker.handler.resizeimage.TestImages.assertArtifact;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * resize_image fetching over real HTTP from a local server, which needs private addresses allowed (a worker with
 * {@code CONVEYOR_FETCH_ALLOW_PRIVATE=true}, a 1 MiB cap and a 2 s deadline): redirects, statuses, caps and timeouts.
 */
@QuarkusTest
@TestProfile(ResizeImageFetchTest.PrivateFetchesAllowed.class)
@QuarkusTestResource(SmtpServer.class)
class ResizeImageFetchTest {

    /** Private fetches allowed, small limits. A profile of its own: the worker restarts for it. */
    public static class PrivateFetchesAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.fetch.allow-private",
                    "true",
                    "conveyor.fetch.max-bytes",
                    "1M",
                    "conveyor.fetch.timeout",
                    "PT2S");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MAX_BYTES = 1L << 20;
    private static final List<String> created = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static ImageServer server;

    @Inject
    OutcomeRecorder outcomes;

    @ConfigProperty(name = "conveyor-handlers.artifact-dir")
    Path artifactDir;

    @BeforeAll
    static void start() throws IOException {
        server = new ImageServer(TestImages.halvesPng(64, 48, false));
    }

    @AfterAll
    static void closeServer() {
        server.close();
    }

    @AfterEach
    void deleteArtifacts() throws IOException {
        for (String id : created) {
            Files.deleteIfExists(artifactDir.resolve(id + ".png"));
            Files.deleteIfExists(artifactDir.resolve(id + ".jpg"));
        }
    }

    @Test
    void resizesAnImageServedOverHttp() throws Exception {
        long before = server.requestsTo("/cat.png");
        String id = publish(resize(server.url("/cat.png"), 32, 24, null));

        TaskOutcome done = last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT));

        assertArtifact(artifactDir, id, done.result(), "png", 32, 24);
        assertEquals(before + 1, server.requestsTo("/cat.png"));
    }

    @Test
    void followsARedirectItselfAndWritesJpeg() throws Exception {
        long before = server.requestsTo("/cat.png");
        String id = publish(resize(server.url("/redirect"), 48, 36, "jpeg"));

        TaskOutcome done = last(outcomes.await(id, TaskStatus.SUCCEEDED, WAIT));

        assertArtifact(artifactDir, id, done.result(), "jpg", 48, 36);
        assertEquals(before + 1, server.requestsTo("/cat.png"));
    }

    @Test
    void refusesARedirectToTheMetadataAddressEvenWithPrivateAddressesAllowed() {
        var task = resize(server.url("/to-metadata"), 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "169.254.169.254, a cloud metadata address");
    }

    @Test
    void givesUpAfterFiveRedirects() {
        long before = server.requestsTo("/loop");
        var task = resize(server.url("/loop"), 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "More than 5 redirects");
        assertEquals(before + 6, server.requestsTo("/loop"), "the first request and five redirects");
    }

    @Test
    void deadLettersAClientErrorWithoutRetrying() {
        var task = resize(server.url("/missing"), 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "HTTP 404");
    }

    @Test
    void retriesAServerError() {
        long before = server.requestsTo("/unavailable");
        var task = resize(server.url("/unavailable"), 10, 10, null).withMaxAttempts(2);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertEquals("exhausted", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("java.io.IOException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        assertTrue(LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("HTTP 503"));
        assertEquals(List.of(TaskStatus.RETRY_SCHEDULED, TaskStatus.DEAD), statuses(task.id()));
        assertEquals(before + 2, server.requestsTo("/unavailable"));
    }

    @Test
    void stopsABodyOverTheCapWhileItStreams() {
        var task = resize(server.url("/endless"), 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "larger than " + MAX_BYTES + " bytes");
        // Had the cap been checked after the download, the server would have sent all of its 64 MiB.
        await().atMost(WAIT).until(server::endlessStopped);
        assertTrue(server.endlessBytesSent() < ImageServer.ENDLESS_LIMIT, server.endlessBytesSent() + " bytes sent");
    }

    @Test
    void refusesADeclaredLengthOverTheCapBeforeReading() {
        var task = resize(server.url("/declared-huge"), 10, 10, null).withMaxAttempts(5);
        publish(task);

        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertPermanent(dead, task.id(), "declares 1073741824 bytes");
    }

    @Test
    void retriesASourceThatStallsPastTheDeadline() {
        var task = resize(server.url("/stall"), 10, 10, null).withMaxAttempts(1);
        publish(task);

        // The headers arrived at once: only a deadline covering the body ends this attempt.
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);

        assertEquals("exhausted", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("java.net.http.HttpTimeoutException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        assertTrue(
                LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("within PT2S"),
                LocalBroker.header(dead, Headers.ERROR_MESSAGE));
    }

    private void assertPermanent(GetResponse dead, String id, String message) {
        assertEquals("non-retryable", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("1", LocalBroker.header(dead, Headers.ATTEMPT));
        String error = LocalBroker.header(dead, Headers.ERROR_MESSAGE);
        assertTrue(error.contains(message), error);
        assertEquals(List.of(TaskStatus.DEAD), statuses(id), "a permanent failure runs once");
    }

    /** The task's outcomes once it is dead: the dead letter is confirmed before the outcome is announced. */
    private List<TaskStatus> statuses(String id) {
        return outcomes.await(id, TaskStatus.DEAD, WAIT).stream()
                .map(TaskOutcome::status)
                .toList();
    }

    private static String publish(TaskMessageBuilder task) {
        services.track(task.id());
        created.add(task.id());
        return task.publishTo(services.broker());
    }

    private static TaskOutcome last(List<TaskOutcome> history) {
        return history.get(history.size() - 1);
    }
}
