package io.conveyor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster of {@code scripts/cluster.sh} (three RabbitMQ nodes, a Redis master with a replica and three
 * sentinels), which must be up: the tests tagged {@link #TAG} run only with {@code -Pcluster-tests}.
 */
final class Cluster {

    /** The tag of the scenarios that need the cluster; README's test command leaves them out. */
    static final String TAG = "cluster";

    private static final Path SCRIPT =
            Path.of("..", "scripts", "cluster.sh").toAbsolutePath().normalize();

    private Cluster() {}

    /**
     * What {@code scripts/cluster.sh env} prints, for an app's environment: the nodes, the sentinels, the
     * credentials, the number of quorum replicas. Fails when the cluster is not up.
     */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        for (String line : run("env").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                env.put(line.substring(0, eq).replaceFirst("^export ", ""), unquote(line.substring(eq + 1)));
            }
        }
        if (!env.containsKey("RABBITMQ_ADDRESSES") || !env.containsKey("REDIS_SENTINELS")) {
            throw new IllegalStateException("scripts/cluster.sh env printed no cluster: " + env.keySet());
        }
        return env;
    }

    /**
     * An app's settings for the cluster, from {@code cluster} ({@link #env()}): every node, the management API, the
     * sentinels and the replica counts; the credentials are the caller's to give.
     */
    static Map<String, String> appEnv(Map<String, String> cluster) {
        Map<String, String> app = new HashMap<>();
        for (String name : List.of(
                "RABBITMQ_ADDRESSES",
                "RABBITMQ_MANAGEMENT_URL",
                "REDIS_SENTINELS",
                "REDIS_MASTER_NAME",
                "CONVEYOR_QUORUM_REPLICAS",
                "CONVEYOR_STATE_REPLICAS")) {
            app.put(name, cluster.get(name));
        }
        return app;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("'") || value.startsWith("\""))
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** SIGKILL of a member: {@code rabbit1..3}, {@code redis-master}. */
    static String kill(String member) {
        return run("kill", member);
    }

    /** Starts a killed member again ({@code rabbit1..3}; {@code redis}: a stopped Redis, as a replica). */
    static String start(String member) {
        return run("start", member);
    }

    /** The member ({@code rabbit1..3}) that leads the quorum queue {@code queue}. */
    static String leader(String queue) {
        return run("leader", queue).strip();
    }

    static String status() {
        return run("status");
    }

    private static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/cluster.sh " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
