package io.conveyor.gateway.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.state.StateKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The Redis side of the queue figures, for every type in one pipelined batch (one round trip however many types):
 * ZCARD of each type's RETRY_SCHEDULED and DEAD index, HGETALL of the 15 accepted and 15 finished per-minute hashes,
 * SMEMBERS of the paused set, and one script that finds each type's oldest due QUEUED task.
 */
@ApplicationScoped
public class StateFigures {

    /**
     * Per QUEUED index (KEYS), the time the oldest waiting task became due, or -1: its creation, or its not-before
     * time when it was delayed. A task delayed into the future is QUEUED too but does not wait in the queue yet, so
     * it is skipped. The index is ordered by creation and a task is never due before it was created, so the scan stops
     * at the first task created after the best time found, and after ARGV[2] tasks at most.
     */
    static final String OLDEST_DUE = """
            local now, limit, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
            local out = {}
            for i, key in ipairs(KEYS) do
              local best = -1
              local range = redis.call('ZRANGE', key, 0, limit - 1, 'WITHSCORES')
              for j = 1, #range, 2 do
                local created = tonumber(range[j + 1])
                if best >= 0 and created >= best then break end
                local due = created
                local later = tonumber(redis.call('HGET', prefix .. range[j], 'nextAttemptAt') or '')
                if later and later > due then due = later end
                if due <= now and (best < 0 or due < best) then best = due end
              end
              out[i] = best
            end
            return out
            """;

    /** Most QUEUED tasks looked at per type: delayed tasks before the first due one are rare. */
    static final int SCAN_LIMIT = 100;

    /** One type's figures from Redis; {@code oldestDueMillis} is -1 when no task waits. */
    public record Figures(long retrying, long dead, List<Long> accepted, List<Long> finished, long oldestDueMillis) {}

    /** Every type's figures, and the paused types. */
    public record Snapshot(Map<String, Figures> byType, Set<String> paused) {}

    private final Redis redis;

    public StateFigures(Redis redis) {
        this.redis = redis;
    }

    /** The figures of {@code types} at {@code now}, in one round trip to Redis. */
    public Uni<Snapshot> read(List<String> types, Instant now) {
        return redis.batch(requests(types, now))
                .onFailure()
                .transform(StateUnavailableException::new)
                .map(answers -> parse(types, answers));
    }

    /** The batch: 2 ZCARDs per type, then 15 accepted and 15 finished HGETALLs, SMEMBERS and the script. */
    static List<Request> requests(List<String> types, Instant now) {
        List<Request> requests = new ArrayList<>();
        for (String type : types) {
            requests.add(Request.cmd(Command.ZCARD).arg(StateKeys.index(TaskStatus.RETRY_SCHEDULED, type)));
            requests.add(Request.cmd(Command.ZCARD).arg(StateKeys.index(TaskStatus.DEAD, type)));
        }
        long current = OpsKeys.epochMinute(now);
        for (int i = 0; i < OpsKeys.STATS_MINUTES; i++) {
            requests.add(Request.cmd(Command.HGETALL).arg(OpsKeys.accepted(current - OpsKeys.STATS_MINUTES + 1 + i)));
        }
        for (int i = 0; i < OpsKeys.STATS_MINUTES; i++) {
            requests.add(Request.cmd(Command.HGETALL).arg(OpsKeys.finished(current - OpsKeys.STATS_MINUTES + 1 + i)));
        }
        requests.add(Request.cmd(Command.SMEMBERS).arg(OpsKeys.PAUSED));
        Request script = Request.cmd(Command.EVAL).arg(OLDEST_DUE).arg(types.size());
        types.forEach(type -> script.arg(StateKeys.index(TaskStatus.QUEUED, type)));
        script.arg(now.toEpochMilli()).arg(SCAN_LIMIT).arg(StateKeys.task(""));
        requests.add(script);
        return requests;
    }

    private static Snapshot parse(List<String> types, List<Response> answers) {
        int minutes = OpsKeys.STATS_MINUTES;
        int hashes = types.size() * 2;
        List<Map<String, Long>> accepted = new ArrayList<>();
        List<Map<String, Long>> finished = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            accepted.add(counts(answers.get(hashes + i)));
            finished.add(counts(answers.get(hashes + minutes + i)));
        }
        Set<String> paused = new HashSet<>();
        Response members = answers.get(hashes + 2 * minutes);
        if (members != null) {
            members.forEach(member -> paused.add(member.toString()));
        }
        Response oldest = answers.get(hashes + 2 * minutes + 1);
        Map<String, Figures> byType = new HashMap<>();
        for (int t = 0; t < types.size(); t++) {
            String type = types.get(t);
            byType.put(
                    type,
                    new Figures(
                            answers.get(2 * t).toLong(),
                            answers.get(2 * t + 1).toLong(),
                            perMinute(accepted, type),
                            perMinute(finished, type),
                            oldest.get(t).toLong()));
        }
        return new Snapshot(byType, paused);
    }

    private static List<Long> perMinute(List<Map<String, Long>> minutes, String type) {
        return minutes.stream().map(m -> m.getOrDefault(type, 0L)).toList();
    }

    /** A per-minute hash: type to count (an empty map when the minute saw nothing). */
    private static Map<String, Long> counts(Response hash) {
        Map<String, Long> counts = new HashMap<>();
        if (hash != null) {
            for (String type : hash.getKeys()) {
                counts.put(type, hash.get(type).toLong());
            }
        }
        return counts;
    }
}
