package io.conveyor.gateway;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.gateway.BodyLimitTest.assertIsValidated;
import static io.conveyor.gateway.BodyLimitTest.assertTooLarge;
import static io.conveyor.gateway.BodyLimitTest.chunkedPost;
import static io.conveyor.gateway.BodyLimitTest.noopTask;
import static io.conveyor.gateway.BodyLimitTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code conveyor.max-body-bytes} raised to 2 MiB, above the HTTP layer's former fixed 1 MiB: the HTTP layer's limit
 * moves with it, so a 1.5 MB body is read and validated whether announced or chunked, and the new limit still holds.
 */
@QuarkusTest
@TestProfile(RaisedBodyLimitTest.TwoMebibytes.class)
class RaisedBodyLimitTest {

    private static final int LIMIT = 2 * 1024 * 1024;

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @TestHTTPResource("/")
    URL base;

    public static class TwoMebibytes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.max-body-bytes", String.valueOf(LIMIT));
        }
    }

    @AfterAll
    static void nothingWasPublished() {
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")), "published to noop");
    }

    @Test
    void aBodyUnderTheRaisedLimitIsValidated() throws Exception {
        String task = noopTask(1_500_000);
        assertIsValidated(post(base, "api/v1/tasks", task));
        assertIsValidated(chunkedPost(base, "api/v1/tasks", task));
    }

    @Test
    void aBodyOverTheRaisedLimitIs413() throws Exception {
        String task = noopTask(LIMIT + 1024);
        assertTooLarge(post(base, "api/v1/tasks", task));
        assertTooLarge(chunkedPost(base, "api/v1/tasks", task));
    }
}
