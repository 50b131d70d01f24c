package io.conveyor.gateway.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.Json;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The workers that reported lately: each registers in {@link OpsKeys#WORKERS} and keeps its heartbeat under a key
 * that expires after {@link OpsKeys#MISSED_HEARTBEATS} intervals. An id whose key expired belongs to a worker that
 * is gone: it is removed from the set when read, and not listed.
 */
@ApplicationScoped
public class LiveWorkers {

    private static final Logger LOG = Logger.getLogger(LiveWorkers.class);

    private final Redis redis;

    public LiveWorkers(Redis redis) {
        this.redis = redis;
    }

    /** The live workers' last heartbeats, by id. */
    public Uni<List<WorkerHeartbeat>> list() {
        return send(Request.cmd(Command.ZRANGE).arg(OpsKeys.WORKERS).arg(0).arg(-1))
                .flatMap(ids -> {
                    List<String> names = new ArrayList<>();
                    ids.forEach(id -> names.add(id.toString()));
                    if (names.isEmpty()) {
                        return Uni.createFrom().item(List.<WorkerHeartbeat>of());
                    }
                    Request mget = Request.cmd(Command.MGET);
                    names.forEach(id -> mget.arg(OpsKeys.worker(id)));
                    return send(mget).flatMap(values -> read(names, values));
                });
    }

    private Uni<List<WorkerHeartbeat>> read(List<String> ids, Response values) {
        List<WorkerHeartbeat> live = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Response value = values.get(i);
            if (value == null) {
                gone.add(ids.get(i));
                continue;
            }
            try {
                live.add(Json.mapper().readValue(value.toString(), WorkerHeartbeat.class));
            } catch (IOException e) {
                // A worker of another version, or a torn write: it is still alive, only not shown.
                LOG.debugf("Skipping the unreadable heartbeat of worker %s: %s", ids.get(i), e.getMessage());
            }
        }
        live.sort(Comparator.comparing(WorkerHeartbeat::id));
        if (gone.isEmpty()) {
            return Uni.createFrom().item(live);
        }
        Request zrem = Request.cmd(Command.ZREM).arg(OpsKeys.WORKERS);
        gone.forEach(zrem::arg);
        return send(zrem).map(removed -> live);
    }

    private Uni<Response> send(Request request) {
        return redis.send(request).onFailure().transform(StateUnavailableException::new);
    }
}
