package io.conveyor.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A network namespace joined to this host by a veth pair on 198.18.N.0/30 (the benchmarking range, routed
 * nowhere): the gateway listens on the host end, and requests sent from inside the namespace arrive from a real
 * non-loopback address. Needs root and iproute2, as the CI machines have; fails loudly otherwise.
 */
public class IsolatedNetwork implements QuarkusTestResourceLifecycleManager {

    private static volatile String namespace;
    private static volatile String hostAddress;
    private static volatile String peerAddress;
    private String hostLink;

    @Override
    public Map<String, String> start() {
        int n = ThreadLocalRandom.current().nextInt(1, 255);
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        namespace = "conveyor-pm-" + suffix;
        hostLink = "cvh" + suffix;
        String peerLink = "cvn" + suffix;
        hostAddress = "198.18." + n + ".1";
        peerAddress = "198.18." + n + ".2";
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", peerLink);
        run("ip", "link", "set", peerLink, "netns", namespace);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("ip", "-n", namespace, "addr", "add", peerAddress + "/30", "dev", peerLink);
        run("ip", "-n", namespace, "link", "set", peerLink, "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        return Map.of("quarkus.http.host", hostAddress);
    }

    @Override
    public void stop() {
        runQuietly("ip", "link", "del", hostLink);
        runQuietly("ip", "netns", "del", namespace);
    }

    /** The address inside the namespace that requests come from. */
    static String peerAddress() {
        return peerAddress;
    }

    /** Runs curl inside the namespace; answers the status code then the body. */
    static List<String> curlFromNamespace(String... args) {
        List<String> command = new ArrayList<>(
                List.of("ip", "netns", "exec", namespace, "curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        String out = run(command.toArray(String[]::new));
        int cut = out.lastIndexOf('\n');
        return List.of(out.substring(cut + 1).trim(), out.substring(0, Math.max(cut, 0)));
    }

    static String run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed (" + process.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            System.err.println("Cleanup: " + e.getMessage());
        }
    }
}
