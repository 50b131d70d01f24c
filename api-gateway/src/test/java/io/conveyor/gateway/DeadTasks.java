package io.conveyor.gateway;

import java.time.Instant;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;

/**
 * A task that died as a worker would leave it: its record DEAD after {@code attempts} failed attempts, and its dead
 * letter in {@code conveyor.dead} (reason exhausted). Tracked, so the class's services forget it.
 */
public final class DeadTasks {

    private DeadTasks() {}

    public static String create(LocalServices services, String type, int attempts) {
        TaskMessageBuilder task =
                aTask().ofType(type).withPayload("fail".equals(type) ? "{\"times\":1}" : "{\"duration\":\"PT1S\"}");
        String id = task.id();
        services.track(id);
        Instant now = Instant.now();
        services.redis()
                .call(
                        "EVAL",
                        Scripts.CREATE,
                        "1",
                        StateKeys.task(id),
                        id,
                        type,
                        "QUEUED",
                        "3",
                        String.valueOf(now.toEpochMilli()),
                        "",
                        "");
        for (int attempt = 1; attempt <= attempts; attempt++) {
            services.redis()
                    .transition(id, Transition.to(TaskStatus.RUNNING, now).attempts(attempt));
            TaskError error =
                    new TaskError("java.lang.IllegalStateException", "boom " + attempt, attempt, now, "test", null);
            services.redis()
                    .transition(
                            id,
                            Transition.to(attempt == attempts ? TaskStatus.DEAD : TaskStatus.RETRY_SCHEDULED, now)
                                    .attempts(attempt)
                                    .error(error));
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .deliveryMode(2)
                .headers(Map.of(
                        Headers.TASK_TYPE,
                        type,
                        Headers.ATTEMPT,
                        attempts,
                        Headers.MAX_ATTEMPTS,
                        3,
                        Headers.DEAD_REASON,
                        "exhausted",
                        Headers.ERROR_CLASS,
                        "java.lang.IllegalStateException",
                        Headers.ERROR_MESSAGE,
                        "boom",
                        Headers.FAILED_AT,
                        now.toString(),
                        Headers.WORKER,
                        "test",
                        Headers.ORIGINAL_ROUTING_KEY,
                        type))
                .build();
        services.broker().publish(Topology.DEAD_LETTER_EXCHANGE, type, props, task.body());
        return id;
    }
}
