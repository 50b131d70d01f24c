package io.conveyor.webhook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSecretsTest {

    private static final byte[] KEY = new byte[32];
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    @Test
    void readsClientsSkippingCommentsAndBlankLines() {
        WebhookSecrets secrets =
                WebhookSecrets.parse(List.of("# who signs", "", "billing   " + SECRET, "  local " + SECRET), "f");
        assertEquals(2, secrets.size());
        assertArrayEquals(KEY, secrets.key("billing").orElseThrow());
        assertTrue(secrets.has(null), "a task without a key signs as local");
        assertFalse(secrets.has("grafana"));
        assertFalse(secrets.toString().contains(SECRET.substring(6)), "never prints a secret");
    }

    @Test
    void malformedLinesNameTheFileAndLineButNotTheSecret() {
        String shortSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
        assertMessage("secrets, line 2: ", "fewer than 24", List.of("# x", "billing " + shortSecret));
        assertMessage("secrets, line 1: ", "must start with 'whsec_'", List.of("billing abc"));
        assertMessage("secrets, line 1: ", "not base64", List.of("billing whsec_!!!"));
        assertMessage("secrets, line 1: ", "found 3 field(s)", List.of("billing " + SECRET + " extra"));
        assertMessage("secrets, line 2: ", "has a secret already", List.of("a " + SECRET, "a " + SECRET));
        assertMessage("secrets, line 1: ", "client name", List.of("b/c " + SECRET));
    }

    private static void assertMessage(String where, String what, List<String> lines) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WebhookSecrets.parse(lines, "secrets"));
        assertTrue(e.getMessage().startsWith(where) && e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET.substring(6)), e.getMessage());
    }

    @Test
    void fileIsReloadedWhenItChangesAndABrokenEditIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("webhook-secrets");
        Files.writeString(file, "billing " + SECRET + "\n", StandardCharsets.UTF_8);
        SecretsFile secrets = SecretsFile.open(Optional.of(file.toString()), Duration.ZERO);
        assertTrue(secrets.current().has("billing"));

        Files.writeString(file, "billing " + SECRET + "\nlocal " + SECRET + "\n", StandardCharsets.UTF_8);
        assertTrue(secrets.current().has("local"));

        Files.writeString(file, "billing nope\n", StandardCharsets.UTF_8);
        assertTrue(secrets.current().has("local"), "a broken edit keeps the secrets in force");

        assertTrue(SecretsFile.open(Optional.empty(), Duration.ZERO).current().size() == 0);
        Files.writeString(file, "billing nope\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SecretsFile.open(Optional.of(file.toString()), Duration.ZERO));
        assertTrue(e.getMessage().contains(file + ", line 1"), e.getMessage());
    }
}
