package io.conveyor.system;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A producer as README asks producers to be: every task with an idempotency key, a 503 or an unanswered request
 * retried with the same key (on the next gateway) until it is accepted. Submits one task at a time at about
 * {@code perSecond}, and records what each answer was and when.
 */
final class SteadyProducer implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    /** One answer that was neither a 202 nor a 503: what a failover must never produce. */
    record Unexpected(long atMillis, int status, String body) {}

    private final List<App> gateways;
    private final String body;
    private final long pauseNanos;
    private final Thread thread;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<Long> refusedAt = new CopyOnWriteArrayList<>();
    private final List<Long> unansweredAt = new CopyOnWriteArrayList<>();
    private final List<Unexpected> unexpected = new CopyOnWriteArrayList<>();
    private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

    SteadyProducer(List<App> gateways, String taskJson, int perSecond) {
        this.gateways = List.copyOf(gateways);
        this.body = taskJson;
        this.pauseNanos = 1_000_000_000L / perSecond;
        this.thread = new Thread(this::run, "steady-producer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int next = 0;
        while (!stopping.get()) {
            long started = System.nanoTime();
            String key = UUID.randomUUID().toString();
            // A started key is retried until accepted, even after stop(): a producer does not drop a task it began.
            while (true) {
                App gateway = gateways.get(next++ % gateways.size());
                try {
                    HttpResponse<String> answer = gateway.send("/api/v1/tasks", body, "Idempotency-Key", key);
                    int status = answer.statusCode();
                    if (status == 202 || status == 200) {
                        Matcher id = ID.matcher(answer.body());
                        if (!id.find()) {
                            unexpected.add(new Unexpected(System.currentTimeMillis(), status, answer.body()));
                            break;
                        }
                        accepted.add(id.group(1));
                        acceptedAt.add(System.currentTimeMillis());
                        break;
                    }
                    if (status == 503) {
                        refusedAt.add(System.currentTimeMillis());
                    } else {
                        unexpected.add(new Unexpected(System.currentTimeMillis(), status, answer.body()));
                        break;
                    }
                } catch (UncheckedIOException e) {
                    unansweredAt.add(System.currentTimeMillis());
                }
                sleepNanos(200_000_000L);
            }
            sleepNanos(pauseNanos - (System.nanoTime() - started));
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops submitting new tasks, and waits until the one under way is accepted. */
    void stop(Duration atMost) {
        stopping.set(true);
        try {
            thread.join(atMost.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the producer's last task was not accepted within " + atMost);
        }
    }

    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** When a 503 came, epoch millis. */
    List<Long> refusedAt() {
        return List.copyOf(refusedAt);
    }

    /** When a request got no answer (connection refused or reset, timeout), epoch millis. */
    List<Long> unansweredAt() {
        return List.copyOf(unansweredAt);
    }

    List<Long> acceptedAt() {
        return List.copyOf(acceptedAt);
    }

    List<Unexpected> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Counts of the tasks' statuses as {@code gateway} reports them (404 counted as "MISSING"). */
    static Map<String, Integer> statuses(App gateway, Set<String> ids) {
        Map<String, Integer> counts = new TreeMap<>();
        Pattern status = Pattern.compile("\"status\":\"([A-Z_]+)\"");
        for (String id : ids) {
            HttpResponse<String> view = gateway.get("/api/v1/tasks/" + id);
            String s;
            if (view.statusCode() == 404) {
                s = "MISSING";
            } else {
                Matcher m = status.matcher(view.body());
                s = m.find() ? m.group(1) : "HTTP " + view.statusCode();
            }
            counts.merge(s, 1, Integer::sum);
        }
        return counts;
    }

    /** The ids of {@code ids} not yet in {@code wanted}, at most {@code limit} of them, for a failure message. */
    static List<String> notYet(App gateway, Set<String> ids, String wanted, int limit) {
        List<String> late = new ArrayList<>();
        for (String id : ids) {
            HttpResponse<String> view = gateway.get("/api/v1/tasks/" + id);
            if (view.statusCode() != 200 || !view.body().contains("\"status\":\"" + wanted + "\"")) {
                late.add(id + " " + view.statusCode() + " " + view.body());
                if (late.size() >= limit) {
                    break;
                }
            }
        }
        return late;
    }

    @Override
    public void close() {
        stopping.set(true);
    }
}
