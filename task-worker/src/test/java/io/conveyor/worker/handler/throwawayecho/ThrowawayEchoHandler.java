package io.conveyor.worker.handler.throwawayecho;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Runs the test-only {@code throwaway_echo} type and remembers each task it ran, so a test can tell it ran. */
@ApplicationScoped
public class ThrowawayEchoHandler implements TaskHandler<ThrowawayEchoPayload> {

    /** What this handler returns: the text, repeated. */
    public record Echo(String echo) {}

    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Override
    public Class<ThrowawayEchoPayload> payloadType() {
        return ThrowawayEchoPayload.class;
    }

    @Override
    public Object handle(ThrowawayEchoPayload payload, TaskContext context) {
        ran.add(context.taskId());
        return new Echo(payload.text().repeat(payload.times()));
    }

    /** Ids of the tasks this handler ran, in order. */
    public List<String> ran() {
        return List.copyOf(ran);
    }
}
