package io.conveyor.gateway.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.gateway.state.StateCalls;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.Json;
import io.conveyor.model.state.StateKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Schedules in Redis: one hash per schedule ({@link #key}: name, definition JSON, client, paused, nextFireAt,
 * lastFireAt, lastTaskId, createdAt, updatedAt, and while a tick is under way tickAt, tickTask, tickMissed,
 * tickAttempts), a sorted set of names scored by when a gateway should look at them next ({@link #DUE}) and the set of
 * all names ({@link #ALL}). Every change that touches more than one field goes through a Lua script of this package,
 * so the hash and the sets never disagree. Every failure to reach Redis surfaces as {@link StateUnavailableException}.
 */
@ApplicationScoped
public class ScheduleStore {

    /** Sorted set: schedule name → epoch millis at which a gateway should look at it (its tick, or a lease's end). */
    public static final String DUE = StateKeys.PREFIX + "schedules:due";
    /** Set of every schedule's name. */
    public static final String ALL = StateKeys.PREFIX + "schedules";

    private static final String PREFIX = StateKeys.PREFIX + "schedule:";
    private static final String SAVE = load("save.lua");
    private static final String DELETE = load("delete.lua");
    private static final String PAUSE = load("pause.lua");
    private static final String CLAIM = load("claim.lua");
    private static final String ADVANCE = load("advance.lua");
    private static final String RETRY = load("retry.lua");

    private final ReactiveRedisDataSource redis;

    public ScheduleStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** The hash of one schedule. Names are {@code [A-Za-z0-9._-]}, so they never hold ':'. */
    public static String key(String name) {
        return PREFIX + name;
    }

    /** What a save, delete, pause or resume came to. */
    public enum Outcome {
        CREATED,
        REPLACED,
        DELETED,
        OK,
        UNCHANGED,
        /** A create of a name that is taken. */
        EXISTS,
        /** Another client's schedule, for a caller that does not manage every client's. */
        FOREIGN,
        MISSING
    }

    /**
     * Creates ({@code replace} false: an existing name is {@link Outcome#EXISTS}) or creates or replaces a schedule.
     * {@code client} is the caller's (null without a key), {@code managesAll} whether it may replace any client's.
     */
    public Uni<Outcome> save(
            String name,
            ScheduleDefinition definition,
            Instant nextFireAt,
            String client,
            boolean managesAll,
            boolean replace) {
        return eval(
                        SAVE,
                        List.of(key(name), DUE, ALL),
                        List.of(
                                name,
                                replace ? "replace" : "create",
                                orEmpty(client),
                                managesAll ? "1" : "0",
                                json(definition),
                                millis(nextFireAt),
                                String.valueOf(Instant.now().toEpochMilli())))
                .map(ScheduleStore::outcome);
    }

    public Uni<Outcome> delete(String name, String client, boolean managesAll) {
        return eval(DELETE, List.of(key(name), DUE, ALL), List.of(name, orEmpty(client), managesAll ? "1" : "0"))
                .map(ScheduleStore::outcome);
    }

    public Uni<Outcome> pause(String name) {
        return eval(PAUSE, List.of(key(name), DUE), List.of(name, "1", "", now()))
                .map(ScheduleStore::outcome);
    }

    /** Resumes a paused schedule at {@code nextFireAt}, its first tick after now; ticks while paused are not fired. */
    public Uni<Outcome> resume(String name, Instant nextFireAt) {
        return eval(PAUSE, List.of(key(name), DUE), List.of(name, "0", millis(nextFireAt), now()))
                .map(ScheduleStore::outcome);
    }

    /** One schedule, or null. */
    public Uni<ScheduleView> get(String name) {
        return guard(redis.hash(String.class).hgetall(key(name))).map(ScheduleStore::view);
    }

    /** Every schedule (of {@code client} only, unless null), by name. */
    public Uni<List<ScheduleView>> list(String client, boolean all) {
        return guard(redis.set(String.class).smembers(ALL)).flatMap(names -> {
            if (names.isEmpty()) {
                return Uni.createFrom().item(List.<ScheduleView>of());
            }
            List<Uni<ScheduleView>> reads =
                    names.stream().sorted().map(this::get).toList();
            return Uni.join()
                    .all(reads)
                    .andFailFast()
                    .map(views -> views.stream()
                            .filter(v -> v != null && (all || orEmpty(client).equals(orEmpty(v.client()))))
                            .sorted(Comparator.comparing(ScheduleView::name))
                            .toList());
        });
    }

    /** What one claim call returned: Redis's clock at the claim, and the ticks claimed. */
    public record Claimed(Instant now, List<ScheduleClaim> claims) {}

    /**
     * Claims up to {@code limit} due ticks for this gateway, each for {@code lease} (see claim.lua); a tick first
     * claimed more than {@code grace} after its time is missed. {@code taskIds} supplies the ids of ticks claimed for
     * the first time (at least {@code limit} of them).
     */
    public Uni<Claimed> claim(int limit, Duration lease, Duration grace, List<String> taskIds) {
        List<String> args = new ArrayList<>(4 + limit);
        args.addAll(List.of(
                PREFIX, String.valueOf(limit), String.valueOf(lease.toMillis()), String.valueOf(grace.toMillis())));
        args.addAll(taskIds.subList(0, limit));
        return eval(CLAIM, List.of(DUE), args).map(answer -> {
            Instant now = Instant.ofEpochMilli(Long.parseLong(answer.get(0).toString()));
            List<ScheduleClaim> claims = new ArrayList<>();
            for (int i = 1; i + 6 < answer.size(); i += 7) {
                String name = answer.get(i).toString();
                ScheduleDefinition definition;
                try {
                    definition = definition(answer.get(i + 5).toString());
                } catch (IllegalStateException e) {
                    // One unreadable schedule must not hold back the others claimed with it: firing reports it.
                    definition = null;
                }
                claims.add(new ScheduleClaim(
                        name,
                        Instant.ofEpochMilli(Long.parseLong(answer.get(i + 1).toString())),
                        answer.get(i + 2).toString(),
                        "1".equals(answer.get(i + 3).toString()),
                        Integer.parseInt(answer.get(i + 4).toString()),
                        definition,
                        emptyToNull(answer.get(i + 6).toString())));
            }
            return new Claimed(now, claims);
        });
    }

    /**
     * Moves a schedule from the tick it claimed to {@code next} (null: never again), recording {@code taskId} as the
     * last fired (null for a tick skipped); false when it is no longer at that tick (nothing changed).
     */
    public Uni<Boolean> advance(String name, Instant tick, Instant next, String taskId) {
        return eval(ADVANCE, List.of(key(name), DUE), List.of(name, millis(tick), millis(next), orEmpty(taskId)))
                .map(answer -> answer.toLong() == 1L);
    }

    /** Tries a tick that could not be fired again after {@code delay}, with the same task id. */
    public Uni<Boolean> retry(String name, Instant tick, Duration delay) {
        return eval(RETRY, List.of(key(name), DUE), List.of(name, millis(tick), String.valueOf(delay.toMillis())))
                .map(answer -> answer.toLong() == 1L);
    }

    private static ScheduleView view(Map<String, String> hash) {
        if (hash == null || hash.isEmpty() || !hash.containsKey("definition")) {
            return null;
        }
        ScheduleDefinition definition = definition(hash.get("definition"));
        boolean paused = "1".equals(hash.get("paused"));
        return new ScheduleView(
                hash.get("name"),
                definition.cron(),
                definition.zone(),
                definition.missed(),
                definition.task(),
                emptyToNull(hash.get("client")),
                paused,
                paused ? null : instant(hash.get("nextFireAt")),
                instant(hash.get("lastFireAt")),
                emptyToNull(hash.get("lastTaskId")),
                instant(hash.get("createdAt")),
                instant(hash.get("updatedAt")));
    }

    static ScheduleDefinition definition(String json) {
        try {
            return Json.mapper().readValue(json, ScheduleDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable schedule definition in Redis", e);
        }
    }

    private static String json(ScheduleDefinition definition) {
        try {
            return Json.mapper().writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome outcome(Response answer) {
        return Outcome.valueOf(answer.toString().toUpperCase(Locale.ROOT));
    }

    private static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static String millis(Instant at) {
        return at == null ? "" : String.valueOf(at.toEpochMilli());
    }

    private static String now() {
        return String.valueOf(Instant.now().toEpochMilli());
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private Uni<Response> eval(String script, List<String> keys, List<String> args) {
        return StateCalls.eval(redis, script, keys, args);
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return StateCalls.guard(call);
    }

    private static String load(String name) {
        try (InputStream in = ScheduleStore.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
