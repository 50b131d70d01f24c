package io.conveyor.gateway.security;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protected mode seen from another machine: with no keys configured, a request without a key from a non-local
 * address (here from a network namespace of its own) gets 401 with a body that says how to configure keys, and
 * nothing is accepted; health stays open.
 */
@QuarkusTest
@TestProfile(ProtectedModeTest.OnAnIsolatedNetwork.class)
class ProtectedModeTest {

    private static final String SEED = "{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Listens only on the host end of a veth pair into a namespace the test made. */
    public static class OnAnIsolatedNetwork implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedNetwork.class));
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void theSeedRequestFromAnotherAddressIs401AndSaysHowToConfigureKeys() {
        List<String> answer = IsolatedNetwork.curlFromNamespace(
                "-X", "POST", root + "async-task", "-H", "Content-Type: application/json", "-d", SEED, "-D", "-");
        assertEquals("401", answer.get(0), answer.get(1));
        assertTrue(answer.get(1).contains("application/problem+json"), answer.get(1));
        assertTrue(answer.get(1).toLowerCase().contains("www-authenticate: bearer"), answer.get(1));
        assertTrue(answer.get(1).contains("CONVEYOR_API_KEYS_FILE"), answer.get(1));
        assertEquals(0, services.broker().messageCount("conveyor.task.send_email"));
    }

    @Test
    void everyApiReadFromAnotherAddressIs401() {
        for (String path : List.of("api/v1/tasks", "api/v1/task-types", "api/v1/dead-letters")) {
            assertEquals("401", IsolatedNetwork.curlFromNamespace(root + path).get(0), path);
        }
    }

    @Test
    void healthStaysOpenFromAnotherAddress() {
        assertEquals(
                "200", IsolatedNetwork.curlFromNamespace(root + "q/health/live").get(0));
    }

    @Test
    void theHostsOwnNonLoopbackAddressIsNotLocalEither() throws Exception {
        // From this host to the veth address: the source is 198.18.N.1, not a loopback address.
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "api/v1/tasks"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, answer.statusCode(), answer.body());
    }
}
