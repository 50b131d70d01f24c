package io.conveyor.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;

/**
 * The tests' RabbitMQ (with the management plugin) and Redis as containers, through Testcontainers: images from
 * {@code RABBITMQ_IMAGE} and {@code REDIS_IMAGE} (defaults the public {@code rabbitmq:4.1.4-management} and
 * {@code redis:7.4.6}; any image that behaves as those, such as the local stand-ins), never pulled: an image must be
 * on the machine already. Started once per JVM by {@link TestServices}, stopped and removed by a shutdown hook (the
 * run does not rely on Ryuk, whose image a machine without a registry lacks).
 */
final class ServiceContainers {

    static final String DEFAULT_RABBITMQ_IMAGE = "rabbitmq:4.1.4-management";
    static final String DEFAULT_REDIS_IMAGE = "redis:7.4.6";
    /** Marks the containers of the tests, so that a run killed before its shutdown hook leaves findable ones. */
    static final String LABEL = "io.conveyor.test-services";

    private static final int AMQP_PORT = 5672;
    private static final int REDIS_PORT = 6379;

    private ServiceContainers() {}

    /**
     * Why Testcontainers cannot use a Docker API (DOCKER_HOST, Docker's default socket, ...); empty when it can. With
     * Ryuk on, its container is started here too, so a Ryuk image that cannot be had fails here.
     */
    static Optional<String> dockerProblem() {
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (RuntimeException e) {
            StringBuilder causes = new StringBuilder();
            for (Throwable cause = e; cause != null && causes.length() < 500; cause = cause.getCause()) {
                causes.append(causes.length() == 0 ? "" : ": ").append(cause.getMessage());
            }
            return Optional.of(causes.toString());
        }
    }

    /**
     * Starts RabbitMQ and Redis, points the tests and the apps at them through system properties, and stops them
     * when the JVM exits; answers where they are, for the log.
     */
    static String start() {
        DockerImageName rabbitmqImage = image("RABBITMQ_IMAGE", DEFAULT_RABBITMQ_IMAGE, "rabbitmq");
        DockerImageName redisImage = image("REDIS_IMAGE", DEFAULT_REDIS_IMAGE, "redis");
        DockerClient client = DockerClientFactory.instance().client();
        requirePresent(client, rabbitmqImage, "RABBITMQ_IMAGE");
        requirePresent(client, redisImage, "REDIS_IMAGE");

        RabbitMQContainer rabbitmq = new RabbitMQContainer(rabbitmqImage)
                .withImagePullPolicy(name -> false)
                .withLabel(LABEL, "rabbitmq");
        GenericContainer<?> redis = new GenericContainer<>(redisImage)
                .withImagePullPolicy(name -> false)
                .withLabel(LABEL, "redis")
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no")
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        List<Startable> started = List.of(rabbitmq, redis);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> started.forEach(ServiceContainers::stop), "conveyor-test-services"));
        try {
            Startables.deepStart(started).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Could not start the tests' RabbitMQ (" + rabbitmqImage.asCanonicalNameString() + ") and Redis ("
                            + redisImage.asCanonicalNameString() + ") containers: " + e.getMessage()
                            + ". Where Testcontainers cannot start its Ryuk container (no registry), set "
                            + "TESTCONTAINERS_RYUK_DISABLED=true.",
                    e);
        }

        String host = host(rabbitmq, rabbitmq.getAmqpPort());
        Map<String, String> settings = Map.of(
                "RABBITMQ_HOST",
                host,
                "RABBITMQ_PORT",
                String.valueOf(rabbitmq.getAmqpPort()),
                "RABBITMQ_USERNAME",
                rabbitmq.getAdminUsername(),
                "RABBITMQ_PASSWORD",
                rabbitmq.getAdminPassword(),
                "RABBITMQ_VHOST",
                "/",
                "RABBITMQ_MANAGEMENT_URL",
                "http://" + host + ":" + rabbitmq.getHttpPort(),
                "REDIS_URL",
                "redis://" + host(redis, redis.getMappedPort(REDIS_PORT)) + ":" + redis.getMappedPort(REDIS_PORT));
        settings.forEach(System::setProperty);
        System.setProperty(TestServices.RABBITMQ_CONTAINER_PROPERTY, rabbitmq.getContainerId());
        return "RabbitMQ at " + host + ":" + rabbitmq.getAmqpPort() + " (management " + rabbitmq.getHttpPort()
                + ") from "
                + rabbitmqImage.asCanonicalNameString() + ", Redis at " + settings.get("REDIS_URL") + " from "
                + redisImage.asCanonicalNameString();
    }

    /**
     * Runs {@code command} inside a running container of this JVM's services; answers its exit code and output
     * (stdout, then stderr). Works from any class loader: the container is found by its id.
     */
    static Container.ExecResult exec(String containerId, String... command) {
        DockerClient client = DockerClientFactory.instance().client();
        InspectContainerResponse container =
                client.inspectContainerCmd(containerId).exec();
        try {
            return ExecInContainerPattern.execInContainer(client, container, StandardCharsets.UTF_8, command);
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command) + " in " + containerId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static DockerImageName image(String variable, String fallback, String compatibleWith) {
        return DockerImageName.parse(ServiceSettings.get(variable, fallback)).asCompatibleSubstituteFor(compatibleWith);
    }

    private static void requirePresent(DockerClient client, DockerImageName image, String variable) {
        try {
            client.inspectImageCmd(image.asCanonicalNameString()).exec();
        } catch (NotFoundException e) {
            List<String> hints = new ArrayList<>();
            hints.add("the tests never pull images");
            hints.add("pull or build it first, or set " + variable + " to an image this machine has");
            hints.add("`containers/stand-ins.sh` builds local stand-ins and writes their names to "
                    + "target/stand-ins.env");
            throw new IllegalStateException(
                    "The image " + image.asCanonicalNameString() + " is not on this machine: "
                            + String.join("; ", hints),
                    e);
        }
    }

    /**
     * Where the tests reach a container's mapped port: 127.0.0.1 when the engine publishes it there (a local Docker or
     * podman; Testcontainers would name the bridge's gateway address instead wherever the JVM looks as if it ran in a
     * container, /.dockerenv), else the host Testcontainers names (a remote engine, TESTCONTAINERS_HOST_OVERRIDE).
     */
    private static String host(GenericContainer<?> container, int mappedPort) {
        if (System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null && TestServices.answersOnLoopback(mappedPort)) {
            return "127.0.0.1";
        }
        // Not published on this machine's loopback: a remote engine.
        return container.getHost();
    }

    private static void stop(Startable container) {
        try {
            container.stop();
        } catch (RuntimeException e) {
            System.err.println("Could not stop a test services container (label " + LABEL + "): " + e);
        }
    }
}
