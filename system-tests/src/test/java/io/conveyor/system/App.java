package io.conveyor.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.conveyor.testsupport.ServiceSettings;

import static org.awaitility.Awaitility.await;

/** A packaged Conveyor app (gateway or worker) running as a separate process on a free port. */
final class App implements AutoCloseable {

    /** The apps started here keep task state in a Redis database of their own, emptied by {@link #forgetState()}. */
    static final String STATE_URL =
            ServiceSettings.get("REDIS_URL", "redis://localhost:6379").replaceFirst("/\\d+$", "") + "/14";

    private static final String GATEWAY_JAR = "conveyor.gateway.jar";
    private static final String WORKER_JAR = "conveyor.worker.jar";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every process started, so none outlives the test JVM whatever a test did. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private App(String name, String jarProperty, Map<String, String> env, List<String> jvmArgs) {
        this(name, jarProperty, env, prepend("-Xmx256m", jvmArgs), false);
    }

    /**
     * {@code fromJarDirectory}: starts {@code java <jvmArgs> -jar quarkus-run.jar} in the jar's directory, as the
     * scripts and the images do, which an AOT cache needs (it records the class path as given); otherwise starts the
     * jar by its full path from the test's directory.
     */
    private App(
            String name, String jarProperty, Map<String, String> env, List<String> jvmArgs, boolean fromJarDirectory) {
        this.name = name;
        this.port = freePort();
        String jar = jarPath(jarProperty).toString();
        Path logs = Path.of(System.getProperty("conveyor.logs", "target/app-logs"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.log = logs.resolve(name + "-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Dquarkus.http.port=" + port));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", fromJarDirectory ? new File(jar).getName() : jar));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (fromJarDirectory) {
            builder.directory(new File(jar).getParentFile());
        }
        // Where the services are, as the tests resolved them (containers too), then the state database of our own.
        builder.environment().putAll(ServiceSettings.forProcess());
        builder.environment().put("REDIS_URL", STATE_URL);
        builder.environment().putAll(env);
        try {
            this.process = builder.start();
            STARTED.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    static App gateway(Map<String, String> env) {
        return new App("api-gateway", GATEWAY_JAR, env, List.of());
    }

    /** A worker; {@code jvmArgs} may set map-valued settings such as {@code -Dconveyor.worker.timeouts.sleep=PT1M}. */
    static App worker(String name, Map<String, String> env, String... jvmArgs) {
        Map<String, String> all = new HashMap<>(Map.of("CONVEYOR_WORKER_NAME", name));
        all.putAll(env);
        return new App(name, WORKER_JAR, all, List.of(jvmArgs));
    }

    /**
     * The gateway ({@code gateway = true}) or a worker started from its jar's directory with exactly {@code jvmArgs}
     * (no heap size of this class's choosing): how scripts/run-local.sh, bench/run.sh and the images start them.
     */
    static App fromJarDirectory(String name, boolean gateway, Map<String, String> env, List<String> jvmArgs) {
        Map<String, String> all = new HashMap<>(env);
        if (!gateway) {
            all.putIfAbsent("CONVEYOR_WORKER_NAME", name);
        }
        return new App(name, gateway ? GATEWAY_JAR : WORKER_JAR, all, jvmArgs, true);
    }

    /** The packaged app's directory (target/quarkus-app), where its AOT cache goes. */
    static Path directory(boolean gateway) {
        return jarPath(gateway ? GATEWAY_JAR : WORKER_JAR).getParent();
    }

    private static Path jarPath(String jarProperty) {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException(
                    "Missing " + jar + ": build the apps first (./mvnw verify builds them before this module)");
        }
        return Path.of(jar).toAbsolutePath().normalize();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    App awaitReady(Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    assertAlive();
                    return get("/q/health/ready").statusCode() == 200;
                });
        return this;
    }

    /** Empties the system tests' state database: the records their tasks left. */
    static void forgetState() {
        try (io.conveyor.testsupport.LocalRedis redis = new io.conveyor.testsupport.LocalRedis(STATE_URL)) {
            redis.call("FLUSHDB");
        }
    }

    /**
     * A worker's unsettled deliveries (waiting for a thread, running, or finished and waiting for their ack), as its
     * readiness check reports them.
     */
    int inFlight() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"inFlight\"\\s*:\\s*(\\d+)")
                .matcher(get("/q/health/ready").body());
        if (!m.find()) {
            throw new IllegalStateException(name + " reports no inFlight in its readiness data");
        }
        return Integer.parseInt(m.group(1));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POSTs JSON with one extra header. */
    HttpResponse<String> send(String path, String json, String header, String value) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any request: {@code json} is the body (none if null), {@code headers} are name, value pairs. */
    HttpResponse<String> call(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The app's address for {@code path}, for a browser or another client. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself (an app that refuses to start); answers its exit code. */
    int awaitExit(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive());
        return process.exitValue();
    }

    void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is acknowledged or cleaned up. */
    void kill9() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: what an orchestrator sends to stop a container. */
    void sigterm() {
        process.destroy();
    }

    int waitForExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + atMost);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
