package io.conveyor.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.conveyor.gateway.quota.Rate;
import io.conveyor.model.Digests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/new-api-key.sh prints a strong key and a keys-file line the gateway reads as that key's client. */
class NewApiKeyScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "new-api-key.sh");

    private record Run(int exit, List<String> lines) {}

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.exitValue(), out.lines().map(String::trim).toList());
    }

    @Test
    void printsAKeyAndTheLineOfItsHash() throws Exception {
        Run run = run("billing", "producer,reader", "50/s");
        assertEquals(0, run.exit(), String.join("\n", run.lines()));
        String key = run.lines().get(1);
        String line = run.lines().get(3);
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), key);
        ApiClient client = KeysFile.parse("script", List.of(line)).get(0);
        assertEquals("billing", client.name());
        assertEquals(Set.of("producer", "reader"), client.roles());
        assertEquals(Rate.parse("50/s"), client.rate());
        assertEquals(Digests.sha256(key), HexFormat.of().formatHex(client.keySha256()));
        assertTrue(!line.contains(key), "the line must hold only the hash");
        assertNotEquals(key, run("billing", "producer").lines().get(1));
    }

    @Test
    void refusesBadArguments() throws Exception {
        assertEquals(2, run("billing", "admin").exit());
        assertEquals(2, run("admin", "operator").exit());
        assertEquals(2, run("bad name", "producer").exit());
        assertEquals(2, run("billing").exit());
    }
}
