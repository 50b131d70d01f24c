package io.conveyor.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged gateway refuses to start on a malformed keys file (naming the line), a default client rate that is
 * not a rate, or a queue limit for a type it does not offer, rather than run with a setting it cannot honour.
 */
class KeysFileStartupTest {

    @TempDir
    Path dir;

    @Test
    void aMalformedKeysFileStopsStartupNamingTheLine() throws Exception {
        Path keys = dir.resolve("keys");
        Files.write(
                keys,
                List.of(
                        "# clients",
                        "billing producer sha256:" + "ab".repeat(32),
                        "ops superuser sha256:" + "cd".repeat(32)));
        try (App gateway = App.gateway(Map.of("CONVEYOR_API_KEYS_FILE", keys.toString()))) {
            int exit = gateway.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, gateway.log());
            String log = gateway.log();
            assertTrue(log.contains("line 3: unknown role 'superuser'"), log);
            assertTrue(log.contains(keys.toString()), log);
        }
    }

    @Test
    void aBadClientRateOrQueueLimitStopsStartupNamingTheVariable() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("CONVEYOR_CLIENT_RATE", "fast"), Map.entry("CONVEYOR_QUEUE_MAX_LENGTHS", "no_such_type=5"))) {
            try (App gateway = App.gateway(Map.of(bad.getKey(), bad.getValue()))) {
                int exit = gateway.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, exit, gateway.log());
                assertTrue(gateway.log().contains(bad.getKey()), gateway.log());
            }
        }
    }
}
