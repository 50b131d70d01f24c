package io.conveyor.gateway.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;

/**
 * Schedules for tests: unique names, creation through the API, the tasks a schedule fired (read back through the
 * API, protected mode), and cleanup of every schedule key, fired task and queued message a test leaves.
 */
public final class ScheduleFixtures {

    /** Puts a schedule's hash and due entry exactly where a claim would find them, in one atomic step. */
    private static final String SET_TICK = """
            redis.call('HSET', KEYS[1], 'nextFireAt', ARGV[2])
            redis.call('HDEL', KEYS[1], 'tickAt', 'tickTask', 'tickMissed', 'tickAttempts')
            if ARGV[3] ~= '' then
              redis.call('HSET', KEYS[1], 'tickAt', ARGV[2], 'tickTask', ARGV[3], 'tickMissed', '0', 'tickAttempts', '1')
            end
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
            return 1
            """;

    private final LocalServices services;
    private final List<String> names = new ArrayList<>();

    public ScheduleFixtures(LocalServices services) {
        this.services = services;
    }

    /** A fresh schedule name, deleted by {@link #clean}. */
    public String name(String stem) {
        String name = "test-" + stem + "-" + UUID.randomUUID().toString().substring(0, 8);
        names.add(name);
        return name;
    }

    /** Creates a noop schedule through the API (protected mode) and answers its view. */
    public JsonPath create(String name, String cron, String missed) {
        return given().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"cron\":\"" + cron + "\",\"missed\":\"" + missed
                        + "\",\"task\":{\"type\":\"noop\"}}")
                .post("/api/v1/schedules")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /**
     * Moves a schedule to a tick at {@code tick}, looked at from {@code dueAt}; with {@code taskId}, as a gateway that
     * claimed the tick (fixing that task id) and died before advancing leaves it.
     */
    public void setTick(String name, Instant tick, String taskId, Instant dueAt) {
        services.redis()
                .call(
                        "EVAL",
                        SET_TICK,
                        "2",
                        ScheduleStore.key(name),
                        ScheduleStore.DUE,
                        name,
                        String.valueOf(tick.toEpochMilli()),
                        taskId == null ? "" : taskId,
                        String.valueOf(dueAt.toEpochMilli()));
    }

    /** The ids of the noop tasks a schedule fired, as the API lists them (newest first); tracked for cleanup. */
    public List<String> firedTasks(String name) {
        List<String> ids = new ArrayList<>();
        JsonPath page = given().get("/api/v1/tasks?type=noop&limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> schedules = page.getList("items.schedule");
        List<String> all = page.getList("items.id");
        for (int i = 0; i < all.size(); i++) {
            if (name.equals(schedules.get(i))) {
                ids.add(services.track(all.get(i)));
            }
        }
        return ids;
    }

    /** A schedule's stored hash field. */
    public String field(String name, String field) {
        Object value = services.redis().call("HGET", ScheduleStore.key(name), field);
        return value == null ? null : value.toString();
    }

    /** Deletes every schedule made through {@link #name}, and the noop tasks still queued. */
    public void clean() {
        for (String name : names) {
            services.redis().call("DEL", ScheduleStore.key(name));
            services.redis().call("ZREM", ScheduleStore.DUE, name);
            services.redis().call("SREM", ScheduleStore.ALL, name);
            firedTasks(name);
        }
        names.clear();
        services.broker().purge(Topology.taskQueue("noop"));
    }
}
