package io.conveyor.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides once per test JVM where the tests' RabbitMQ and Redis come from, before any test (and so before any app
 * under test) starts; {@link ResolveTestServices} calls {@link #resolve()} when the JUnit Platform opens its session.
 *
 * <ol>
 *   <li>{@code RABBITMQ_HOST} or {@code REDIS_URL} set: those services, as configured;
 *   <li>else RabbitMQ and Redis answering on 127.0.0.1:5672 and :6379: the local services;
 *   <li>else a Docker API reachable (Docker, or podman's socket through {@code DOCKER_HOST}): a RabbitMQ and a Redis
 *       container started for this JVM ({@link ServiceContainers}), stopped when it exits;
 *   <li>else the run fails, naming these three ways.
 * </ol>
 *
 * {@code -Dconveyor.test.services=local|containers|auto} (or {@code CONVEYOR_TEST_SERVICES}) forces a choice;
 * {@code auto} is the default. With containers, the services' addresses go into system properties named as the apps'
 * environment variables ({@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_MANAGEMENT_URL},
 * {@code REDIS_URL}, ...), which Quarkus reads before the environment and {@link ServiceSettings} too. The choice and
 * its reason are logged in one line.
 */
public final class TestServices {

    /** The system property that forces a choice. */
    public static final String MODE_PROPERTY = "conveyor.test.services";
    /** The same, as an environment variable. */
    public static final String MODE_VARIABLE = "CONVEYOR_TEST_SERVICES";
    /**
     * Set once resolved, to the {@link Source}'s name: the mark that the JVM has decided (any class loader). Not under
     * {@code conveyor.}: the apps' configuration mappings own that prefix and refuse keys they do not declare.
     */
    static final String SOURCE_PROPERTY = "conveyor-tests.services.source";
    /** Set when the decision failed, to its message, which every later {@link #resolve()} repeats. */
    static final String FAILURE_PROPERTY = "conveyor-tests.services.failure";
    /** With containers: the RabbitMQ container's id, for {@link Rabbitmqctl} (any class loader). */
    static final String RABBITMQ_CONTAINER_PROPERTY = "conveyor-tests.services.rabbitmq-container";

    private static final int PROBE_TIMEOUT_MILLIS = 1_000;

    /** What a run asks for. */
    public enum Mode {
        LOCAL,
        CONTAINERS,
        AUTO;

        static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("-D" + MODE_PROPERTY + "=" + value
                        + " is not one of local, containers, auto (" + MODE_VARIABLE + " takes the same values)");
            }
        }
    }

    /** Where the services come from. */
    public enum Source {
        /** RABBITMQ_HOST / REDIS_URL (and the variables beside them), as set. */
        EXPLICIT,
        /** The local services at their default addresses (localhost:5672, :15672, :6379). */
        LOCAL,
        /** Containers this JVM started. */
        CONTAINERS
    }

    /** The decision and why, for the log line. */
    public record Choice(Source source, String reason) {}

    /** What the decision looks at; each is asked only when the decision gets to it. */
    interface Probe {
        /** RABBITMQ_HOST or REDIS_URL is set. */
        boolean explicit();

        /** RabbitMQ and Redis answer on 127.0.0.1:5672 and :6379. */
        boolean localAnswers();

        /** A Docker API answers (DOCKER_HOST, or Docker's default socket). */
        boolean dockerReachable();
    }

    private TestServices() {}

    /** The decision alone: no service is touched but through {@code probe}. Fails naming the ways out. */
    static Choice choose(Mode mode, Probe probe) {
        switch (mode) {
            case LOCAL:
                return probe.explicit()
                        ? new Choice(
                                Source.EXPLICIT, "forced by -D" + MODE_PROPERTY + "=local; RABBITMQ_HOST/REDIS_URL set")
                        : new Choice(Source.LOCAL, "forced by -D" + MODE_PROPERTY + "=local");
            case CONTAINERS:
                if (!probe.dockerReachable()) {
                    throw new IllegalStateException("-D" + MODE_PROPERTY
                            + "=containers, but Testcontainers cannot use a Docker API. " + CONTAINERS_HOW);
                }
                return new Choice(Source.CONTAINERS, "forced by -D" + MODE_PROPERTY + "=containers");
            default:
                if (probe.explicit()) {
                    return new Choice(Source.EXPLICIT, "RABBITMQ_HOST or REDIS_URL is set");
                }
                if (probe.localAnswers()) {
                    return new Choice(Source.LOCAL, "RabbitMQ and Redis answer on 127.0.0.1:5672 and :6379");
                }
                if (probe.dockerReachable()) {
                    return new Choice(
                            Source.CONTAINERS,
                            "no RabbitMQ and Redis on 127.0.0.1:5672 and :6379, a Docker API answers");
                }
                throw new IllegalStateException(NOWHERE);
        }
    }

    private static final String CONTAINERS_HOW = "Start Docker, or podman's Docker API (`scripts/containers.sh`, then "
            + "`eval \"$(scripts/containers.sh env)\"` for DOCKER_HOST); set TESTCONTAINERS_RYUK_DISABLED=true where "
            + "no registry is reachable (the tests stop their containers themselves), and RABBITMQ_IMAGE/REDIS_IMAGE "
            + "to local images (`containers/stand-ins.sh` builds stand-ins and writes them to target/stand-ins.env).";

    static final String NOWHERE = "The tests need RabbitMQ (with its management plugin) and Redis, and found none: "
            + "(1) set RABBITMQ_HOST (and RABBITMQ_PORT, RABBITMQ_MANAGEMENT_URL, ...) and REDIS_URL to running ones; "
            + "or (2) start them locally on their default ports, as `bash .ci/run` does "
            + "(`rabbitmq-server -detached`, `rabbitmq-plugins enable rabbitmq_management`, "
            + "`redis-server --daemonize yes`); or (3) make a Docker API reachable so the tests start containers: "
            + CONTAINERS_HOW + " -D" + MODE_PROPERTY + "=local|containers|auto forces a choice.";

    /**
     * Decides (and, for containers, starts them) on the first call in this JVM; later calls, from any class loader,
     * answer the same source.
     */
    public static synchronized Source resolve() {
        String decided = System.getProperty(SOURCE_PROPERTY);
        if (decided != null) {
            return Source.valueOf(decided);
        }
        String failed = System.getProperty(FAILURE_PROPERTY);
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
        Choice choice;
        String where;
        LiveProbe probe = new LiveProbe();
        try {
            Mode mode = Mode.parse(ServiceSettings.get(MODE_PROPERTY, ServiceSettings.get(MODE_VARIABLE, null)));
            choice = choose(mode, probe);
            where = choice.source() == Source.CONTAINERS
                    ? ServiceContainers.start()
                    : "RabbitMQ at " + LocalBroker.host() + ":" + LocalBroker.port() + ", Redis at "
                            + LocalRedis.hostAndPort();
        } catch (RuntimeException e) {
            String message = e.getMessage()
                    + probe.dockerProblem
                            .map(p -> " (Testcontainers: " + p + ")")
                            .orElse("");
            // Every later test fails with the same message, instead of running against whatever answers.
            System.setProperty(FAILURE_PROPERTY, message);
            throw new IllegalStateException(message, e);
        } finally {
            // Read, it goes: the apps under test would refuse it, a key under conveyor. that they do not declare.
            System.clearProperty(MODE_PROPERTY);
        }
        System.setProperty(SOURCE_PROPERTY, choice.source().name());
        System.out.println("Conveyor test services: " + choice.source().name().toLowerCase(Locale.ROOT) + " ("
                + choice.reason() + "): " + where);
        return choice.source();
    }

    /** The RabbitMQ container of this run, when the services are containers. */
    static Optional<String> rabbitmqContainer() {
        return Optional.ofNullable(System.getProperty(RABBITMQ_CONTAINER_PROPERTY));
    }

    private static final class LiveProbe implements Probe {
        /** Why no Docker API could be used, once asked. */
        Optional<String> dockerProblem = Optional.empty();

        @Override
        public boolean explicit() {
            return ServiceSettings.isSet("RABBITMQ_HOST") || ServiceSettings.isSet("REDIS_URL");
        }

        @Override
        public boolean localAnswers() {
            return answersOnLoopback(5672) && answersOnLoopback(6379);
        }

        @Override
        public boolean dockerReachable() {
            dockerProblem = ServiceContainers.dockerProblem();
            return dockerProblem.isEmpty();
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port} (within a second). */
    static boolean answersOnLoopback(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
