// The chaos run's producer (chaos/run.sh starts it): submits tasks at a steady rate, alternating between the
// gateways, each with an Idempotency-Key of its own, and retries a refused or unanswered submission with the SAME key
// (on the other gateway too) until some attempt gets a 2xx with the task's id. JDK 25 source launcher, no dependencies:
//
//   java chaos/Producer.java --gateways http://127.0.0.1:8091,http://127.0.0.1:8092 --out DIR
//        [--rate 50] [--seed 1] [--stop-file DIR/stop] [--give-up-seconds 120]
//
// Runs until the stop file exists, then waits for the submissions under way (each gives up after --give-up-seconds
// without a 2xx) and exits. Writes to DIR:
//   accepted.txt  one line per accepted task: <taskId> <type> <expected terminal status> <key> <tries>
//   refused.txt   submissions answered with a status not worth retrying (a 4xx other than 409/429): <key> <status> <body>
//   gave-up.txt   keys never accepted: <key> <type> <last answer>, e.g. 409 when a killed gateway left the key pending
//   producer.log  a line of counts every 5 s, and the final counts
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Producer {

    /** A kind of task: its type, payload, what it must end as, and its share of the submissions (per mille). */
    record Kind(String type, String payload, String expect, int perMille) {}

    // noop and sleep succeed; fail "permanent" is dead on its first attempt (non-retryable); fail "times":1 fails its
    // first attempt and succeeds on its second (maxAttempts 3). So DEAD is exactly the permanent ones.
    static final List<Kind> MIX = List.of(
            new Kind("noop", "{}", "SUCCEEDED", 850),
            new Kind("sleep", "{\"duration\":\"PT0.05S\"}", "SUCCEEDED", 100),
            new Kind("fail", "{\"permanent\":true}", "DEAD", 30),
            new Kind("fail", "{\"times\":1}", "SUCCEEDED", 20));

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    final List<String> gateways;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    final Duration giveUp;
    final Map<String, AtomicLong> counts = new ConcurrentSkipListMap<>();
    final AtomicLong inFlight = new AtomicLong();
    final PrintWriter accepted;
    final PrintWriter refused;
    final PrintWriter gaveUp;
    final PrintWriter log;

    Producer(List<String> gateways, Path out, Duration giveUp) throws IOException {
        this.gateways = gateways;
        this.giveUp = giveUp;
        Files.createDirectories(out);
        this.accepted = writer(out.resolve("accepted.txt"));
        this.refused = writer(out.resolve("refused.txt"));
        this.gaveUp = writer(out.resolve("gave-up.txt"));
        this.log = writer(out.resolve("producer.log"));
    }

    static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
    }

    void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Submits one task until a 2xx, retrying the same key on alternating gateways with backoff. */
    void submit(long n, Kind kind, String key) {
        String body = "{\"type\":\"" + kind.type() + "\",\"payload\":" + kind.payload() + "}";
        Instant deadline = Instant.now().plus(giveUp);
        long backoff = 100;
        String last = "none";
        for (int tries = 1; ; tries++) {
            String gateway = gateways.get((int) ((n + tries - 1) % gateways.size()));
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(gateway + "/api/v1/tasks"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = answer.statusCode();
                Matcher id = ID.matcher(answer.body());
                if (status / 100 == 2 && id.find()) {
                    synchronized (accepted) {
                        accepted.println(id.group(1) + " " + kind.type() + " " + kind.expect() + " " + key + " " + tries);
                    }
                    count("accepted");
                    if (tries > 1) {
                        count("accepted-after-retry");
                    }
                    return;
                }
                count("answer-" + status);
                last = Integer.toString(status);
                if (status != 503 && status != 409 && status != 429 && status / 100 != 5) {
                    synchronized (refused) {
                        refused.println(key + " " + status + " " + answer.body().replace('\n', ' '));
                    }
                    return;
                }
            } catch (IOException e) {
                String reason = e.getClass().getSimpleName();
                count("error-" + reason);
                last = reason;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                count("gave-up");
                synchronized (gaveUp) {
                    gaveUp.println(key + " " + kind.type() + " " + last);
                }
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 2000);
        }
    }

    String counts() {
        Map<String, Long> snapshot = new HashMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.get()));
        return "in-flight=" + inFlight.get() + " " + new java.util.TreeMap<>(snapshot);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> gateways = List.of(opts.getOrDefault("gateways", "http://127.0.0.1:8091").split(","));
        Path out = Path.of(opts.getOrDefault("out", "."));
        double rate = Double.parseDouble(opts.getOrDefault("rate", "50"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        Path stop = Path.of(opts.getOrDefault("stop-file", out.resolve("stop").toString()));
        Duration giveUp = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("give-up-seconds", "120")));
        Producer producer = new Producer(gateways, out, giveUp);
        Random random = new Random(seed);
        String run = Long.toString(seed, 36) + "-" + Long.toString(System.currentTimeMillis(), 36);
        long periodNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long lastReport = start;
        producer.log.println(Instant.now() + " producing " + rate + "/s to " + gateways + " (seed " + seed + ")");
        try (ExecutorService submissions = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; !Files.exists(stop); n++) {
                long due = start + n * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int pick = random.nextInt(1000);
                Kind kind = MIX.getLast();
                for (Kind k : MIX) {
                    if (pick < k.perMille()) {
                        kind = k;
                        break;
                    }
                    pick -= k.perMille();
                }
                Kind chosen = kind;
                long number = n;
                String key = "chaos-" + run + "-" + n;
                producer.count("submitted");
                producer.inFlight.incrementAndGet();
                submissions.submit(() -> {
                    try {
                        producer.submit(number, chosen, key);
                    } finally {
                        producer.inFlight.decrementAndGet();
                    }
                });
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    producer.log.println(Instant.now() + " " + producer.counts());
                }
            }
            producer.log.println(Instant.now() + " stop file seen; waiting for the submissions under way: "
                    + producer.counts());
            submissions.shutdown();
            while (!submissions.awaitTermination(5, TimeUnit.SECONDS)) {
                producer.log.println(Instant.now() + " " + producer.counts());
            }
        }
        producer.log.println(Instant.now() + " done " + producer.counts());
        producer.accepted.close();
        producer.refused.close();
        producer.gaveUp.close();
        producer.log.close();
    }
}
