// The chaos run's ledger (chaos/run.sh runs it twice). JDK 25 source launcher, no dependencies.
//
//   java chaos/Ledger.java wait  --gateways URL,URL --run DIR [--timeout-seconds 600]
//       Reads every task accepted (DIR/accepted.txt) through the gateways' GET /api/v1/tasks/{id}, again and again,
//       until all are terminal (SUCCEEDED, DEAD, CANCELLED) or the timeout passes; writes DIR/statuses.txt:
//       <taskId> <status> <attempts> <type> <expected>. Exit 0 when all are terminal, 1 otherwise.
//   java chaos/Ledger.java count --run DIR
//       Compares DIR/statuses.txt with the execution logs (DIR/executions-*.log: <taskId> <attempt> <worker> <ms>),
//       writes DIR/summary.txt and prints its last line:
//       ledger: accepted=<n> succeeded=<n> dead=<n> lost=<n> duplicates=<n>
//       lost: accepted tasks not terminal; duplicates: execution lines beyond the first for each task id.
//       Exit 0 when lost=0, 1 otherwise.
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public class Ledger {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED");
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    static final Pattern ATTEMPTS = Pattern.compile("\"attempts\"\\s*:\\s*(\\d+)");

    /** An accepted task: its type and the status it must end in. */
    record Accepted(String id, String type, String expected, String key, int tries) {}

    /** A task's last known state. */
    record State(String status, int attempts) {}

    static Map<String, Accepted> accepted(Path run) throws IOException {
        Map<String, Accepted> all = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run.resolve("accepted.txt"))) {
            String[] f = line.trim().split(" ");
            if (f.length >= 5) {
                all.putIfAbsent(f[0], new Accepted(f[0], f[1], f[2], f[3], Integer.parseInt(f[4])));
            }
        }
        return all;
    }

    static final Pattern QUEUE = Pattern.compile(
            "\\{[^{}]*?\"messages\":(\\d+)[^{}]*?\"name\":\"(conveyor\\.(?:task|retry)\\.[^\"]+)\"[^{}]*}");

    /**
     * Messages in the task and retry queues (the management API, {@code RABBITMQ_MANAGEMENT_URL}), or -1 when they
     * cannot be read: 0 means nothing is left that could still move a task.
     */
    static long queued(HttpClient http) {
        String url = System.getenv("RABBITMQ_MANAGEMENT_URL");
        if (url == null || url.isBlank()) {
            return -1;
        }
        String user = System.getenv().getOrDefault("RABBITMQ_USERNAME", "guest");
        String password = System.getenv().getOrDefault("RABBITMQ_PASSWORD", "guest");
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(url + "/api/queues/%2F?columns=name,messages"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Basic " + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return -1;
            }
            long total = 0;
            int queues = 0;
            Matcher m = QUEUE.matcher(answer.body());
            while (m.find()) {
                total += Long.parseLong(m.group(1));
                queues++;
            }
            return queues == 0 ? -1 : total;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void waitForAll(List<String> gateways, Path run, Duration timeout) throws Exception {
        Map<String, Accepted> accepted = accepted(run);
        Map<String, State> states = new ConcurrentHashMap<>();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        Semaphore parallel = new Semaphore(32);
        int round = 0;
        // Settled: the queues empty and no status moved for a minute. Nothing can move the rest: stop waiting.
        Duration settled = Duration.ofSeconds(60);
        Map<String, String> lastSeen = new HashMap<>();
        Instant lastMove = Instant.now();
        while (true) {
            List<String> open = accepted.keySet().stream()
                    .filter(id -> !states.containsKey(id) || !TERMINAL.contains(states.get(id).status()))
                    .toList();
            round++;
            int r = round;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < open.size(); i++) {
                    String id = open.get(i);
                    String gateway = gateways.get((i + r) % gateways.size());
                    parallel.acquire();
                    pool.submit(() -> {
                        try {
                            HttpResponse<String> answer = http.send(
                                    HttpRequest.newBuilder(URI.create(gateway + "/api/v1/tasks/" + id))
                                            .timeout(Duration.ofSeconds(10))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (answer.statusCode() == 404) {
                                states.put(id, new State("NOT_FOUND", 0));
                            } else if (answer.statusCode() == 200) {
                                Matcher s = STATUS.matcher(answer.body());
                                Matcher a = ATTEMPTS.matcher(answer.body());
                                states.put(id, new State(
                                        s.find() ? s.group(1) : "UNREADABLE", a.find() ? Integer.parseInt(a.group(1)) : 0));
                            }
                            // Any other answer (503 while Redis fails over): read it again next round.
                        } catch (IOException e) {
                            // The gateway is not answering: next round, maybe through the other one.
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            parallel.release();
                        }
                    });
                }
            }
            long left = accepted.keySet().stream()
                    .filter(id -> !states.containsKey(id) || !TERMINAL.contains(states.get(id).status()))
                    .count();
            Map<String, Long> byStatus = accepted.keySet().stream()
                    .collect(Collectors.groupingBy(
                            id -> states.containsKey(id) ? states.get(id).status() : "UNREAD",
                            TreeMap::new,
                            Collectors.counting()));
            Map<String, String> now = new HashMap<>();
            states.forEach((id, state) -> now.put(id, state.status()));
            if (!now.equals(lastSeen)) {
                lastSeen = now;
                lastMove = Instant.now();
            }
            long queued = left == 0 ? 0 : queued(http);
            boolean stuck = left > 0 && queued == 0 && Instant.now().isAfter(lastMove.plus(settled));
            System.out.println(Instant.now() + " round " + round + ": " + left + " of " + accepted.size()
                    + " not terminal " + byStatus + ", messages in the task and retry queues: "
                    + (queued < 0 ? "unknown" : queued) + (stuck ? "; the queues are empty and no status moved for "
                            + settled.toSeconds() + " s: the rest will not end" : ""));
            if (left == 0 || stuck || Instant.now().isAfter(deadline)) {
                try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(run.resolve("statuses.txt")))) {
                    for (Accepted task : accepted.values()) {
                        State state = states.getOrDefault(task.id(), new State("UNREAD", 0));
                        out.println(task.id() + " " + state.status() + " " + state.attempts() + " " + task.type() + " "
                                + task.expected());
                    }
                }
                System.exit(left == 0 ? 0 : 1);
            }
            Thread.sleep(2000);
        }
    }

    /** An execution line: which attempt ran where, and when. */
    record Execution(String id, int attempt, String worker, long at, String file) {}

    static void count(Path run) throws IOException {
        Map<String, Accepted> accepted = accepted(run);
        Map<String, String[]> statuses = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run.resolve("statuses.txt"))) {
            String[] f = line.trim().split(" ");
            statuses.put(f[0], f);
        }
        List<Execution> executions = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        try (Stream<Path> files = Files.list(run)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("executions-.*\\.log"))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split(" ");
                    if (f.length != 4) {
                        malformed.add(file.getFileName() + ": " + line);
                        continue;
                    }
                    executions.add(new Execution(
                            f[0], Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]), file.getFileName().toString()));
                }
            }
        }
        Map<String, List<Execution>> byTask = executions.stream()
                .collect(Collectors.groupingBy(Execution::id, LinkedHashMap::new, Collectors.toList()));

        long succeeded = 0, dead = 0, cancelled = 0;
        List<String> notTerminal = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> succeededUnlogged = new ArrayList<>();
        Map<Integer, Long> attemptsOfSucceeded = new TreeMap<>();
        for (Accepted task : accepted.values()) {
            String[] s = statuses.getOrDefault(task.id(), new String[] {task.id(), "UNREAD", "0"});
            String status = s[1];
            switch (status) {
                case "SUCCEEDED" -> succeeded++;
                case "DEAD" -> dead++;
                case "CANCELLED" -> cancelled++;
                default -> notTerminal.add(task.id() + " " + status + " type=" + task.type() + " key=" + task.key()
                        + " tries=" + task.tries());
            }
            if (TERMINAL.contains(status) && !status.equals(task.expected())) {
                unexpected.add(task.id() + " " + status + " (expected " + task.expected() + ") type=" + task.type()
                        + " attempts=" + s[2]);
            }
            if (status.equals("SUCCEEDED")) {
                attemptsOfSucceeded.merge(Integer.parseInt(s[2]), 1L, Long::sum);
                if (!byTask.containsKey(task.id())) {
                    succeededUnlogged.add(task.id() + " type=" + task.type());
                }
            }
        }
        long lost = accepted.size() - succeeded - dead - cancelled;
        long duplicates = executions.size() - byTask.size();
        List<String> notAccepted =
                byTask.keySet().stream().filter(id -> !accepted.containsKey(id)).toList();
        Map<Integer, Long> executionsByAttempt = executions.stream()
                .collect(Collectors.groupingBy(Execution::attempt, TreeMap::new, Collectors.counting()));

        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println("Chaos run " + run.getFileName());
        out.println();
        out.println("Producer");
        Path gaveUp = run.resolve("gave-up.txt");
        Path refused = run.resolve("refused.txt");
        List<String> gaveUpLines = Files.exists(gaveUp) ? Files.readAllLines(gaveUp) : List.of();
        List<String> refusedLines = Files.exists(refused) ? Files.readAllLines(refused) : List.of();
        out.println("  accepted (distinct task ids answered 2xx): " + accepted.size());
        out.println("  accepted only after a retry of the same key: "
                + accepted.values().stream().filter(t -> t.tries() > 1).count());
        out.println("  keys given up (never a 2xx): " + gaveUpLines.size());
        gaveUpLines.stream().limit(50).forEach(l -> out.println("    " + l));
        out.println("  submissions refused for good (4xx): " + refusedLines.size());
        refusedLines.stream().limit(20).forEach(l -> out.println("    " + l));
        out.println();
        out.println("Outcomes of the accepted tasks");
        out.println("  SUCCEEDED " + succeeded + ", DEAD " + dead + ", CANCELLED " + cancelled + ", not terminal "
                + notTerminal.size());
        out.println("  attempts of the SUCCEEDED tasks (state view): " + attemptsOfSucceeded);
        out.println("  ended otherwise than expected: " + unexpected.size());
        unexpected.stream().limit(50).forEach(l -> out.println("    " + l));
        out.println("  not terminal after the drain (lost): " + notTerminal.size());
        // With what the execution logs say of each: run (its SUCCEEDED write lost?) or never run (its message lost?).
        notTerminal.forEach(l -> {
            List<Execution> runs = byTask.getOrDefault(l.substring(0, l.indexOf(' ')), List.of());
            out.println("    " + l + (runs.isEmpty()
                    ? " - no execution line"
                    : " - executed: " + runs.stream()
                            .map(e -> "attempt " + e.attempt() + " on " + e.worker() + " at "
                                    + Instant.ofEpochMilli(e.at()))
                            .collect(Collectors.joining(", "))));
        });
        out.println();
        out.println("Executions (execution logs)");
        out.println("  lines " + executions.size() + ", distinct task ids " + byTask.size() + ", by attempt "
                + executionsByAttempt);
        out.println("  malformed lines: " + malformed.size());
        malformed.stream().limit(20).forEach(l -> out.println("    " + l));
        out.println("  SUCCEEDED tasks with no execution line: " + succeededUnlogged.size());
        succeededUnlogged.stream().limit(50).forEach(l -> out.println("    " + l));
        out.println("  task ids executed but never accepted by the producer: " + notAccepted.size());
        notAccepted.stream().limit(50).forEach(l -> out.println("    " + l));
        out.println("  tasks executed more than once: "
                + byTask.values().stream().filter(l -> l.size() > 1).count() + " (" + duplicates
                + " extra executions)");
        byTask.forEach((id, runs) -> {
            if (runs.size() > 1) {
                out.println("    " + id + " " + runs.stream()
                        .sorted(Comparator.comparingLong(Execution::at))
                        .map(e -> "attempt " + e.attempt() + " on " + e.worker() + " at " + Instant.ofEpochMilli(e.at()))
                        .collect(Collectors.joining(", ")));
            }
        });
        out.println();
        out.println("ledger: accepted=" + accepted.size() + " succeeded=" + succeeded + " dead=" + dead + " lost=" + lost
                + " duplicates=" + duplicates);
        out.flush();
        Files.writeString(run.resolve("summary.txt"), text.toString());
        String[] lines = text.toString().split("\n");
        System.out.println(lines[lines.length - 1]);
        System.exit(lost == 0 ? 0 : 1);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path run = Path.of(opts.getOrDefault("run", "."));
        switch (args.length == 0 ? "" : args[0]) {
            case "wait" -> waitForAll(
                    List.of(opts.getOrDefault("gateways", "http://127.0.0.1:8091").split(",")),
                    run,
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout-seconds", "600"))));
            case "count" -> count(run);
            default -> {
                System.err.println("usage: java chaos/Ledger.java wait|count --run DIR [--gateways URL,URL]");
                System.exit(2);
            }
        }
    }
}
