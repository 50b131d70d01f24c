package io.conveyor.gateway.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conveyor.webhook.WebhookSecrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/new-webhook-secret.sh prints a line the secrets file reads as a 32-byte secret of that client. */
class NewWebhookSecretScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "new-webhook-secret.sh");

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), out);
    }

    record Run(int exit, String out) {}

    @Test
    void printsALineTheSecretsFileReads() throws Exception {
        Run first = run("billing");
        assertEquals(0, first.exit(), first.out());
        WebhookSecrets secrets = WebhookSecrets.parse(List.of(first.out().strip()), "output");
        assertEquals(32, secrets.key("billing").orElseThrow().length);
        assertNotEquals(first.out(), run("billing").out(), "a fresh secret every time");
    }

    @Test
    void refusesABadClientName() throws Exception {
        Run bad = run("a b");
        assertEquals(2, bad.exit());
        assertTrue(bad.out().contains("bad CLIENT"), bad.out());
    }
}
