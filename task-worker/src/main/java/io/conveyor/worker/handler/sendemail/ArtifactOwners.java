package io.conveyor.worker.handler.sendemail;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.StateKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;

/**
 * What the state store says about the task an artifact comes from ({@code <taskId>.<extension>}): whose it is and how
 * far it has come. An email may attach only artifacts of its own client's tasks, the rule the gateway's download
 * follows; and a missing artifact is worth waiting for only while its task may still write it. Blocking reads: a
 * store that does not answer fails the attempt, which is retried.
 */
@ApplicationScoped
public class ArtifactOwners {

    private final HashCommands<String, String, String> hashes;

    public ArtifactOwners(RedisDataSource redis) {
        this.hashes = redis.hash(String.class, String.class, String.class);
    }

    /**
     * The task that wrote (or will write) an artifact, as far as the store knows it.
     *
     * @param status its status, or null when the store has no record of it (never submitted, or past retention)
     * @param client the client that submitted it, or null for one submitted without a key
     */
    public record Producer(TaskStatus status, String client) {}

    /** The task an artifact name stands for: the part before its first dot. */
    static String taskIdOf(String artifact) {
        int dot = artifact.indexOf('.');
        return dot < 0 ? artifact : artifact.substring(0, dot);
    }

    /** The record of the task that {@code artifact} comes from. */
    public Producer producerOf(String artifact) {
        return read(taskIdOf(artifact));
    }

    /** The client that submitted task {@code taskId}, or null (no key, or no record). */
    public String clientOf(String taskId) {
        return read(taskId).client();
    }

    private Producer read(String taskId) {
        Map<String, String> fields = hashes.hmget(StateKeys.task(taskId), "status", "client");
        String status = fields.get("status");
        String client = fields.get("client");
        return new Producer(
                status == null || status.isEmpty() ? null : TaskStatus.valueOf(status),
                client == null || client.isEmpty() ? null : client);
    }
}
