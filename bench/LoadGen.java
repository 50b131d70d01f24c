import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Conveyor's load generator (Java 17, no dependencies but the RabbitMQ client for the {@code amqp} and {@code e2e}
 * modes). bench/run.sh compiles it once into bench/target/loadgen; it also runs as a single-file program:
 * {@code java -cp 'bench/target/perftest-lib/*' bench/LoadGen.java closed --url http://127.0.0.1:8080/api/v1/tasks}.
 *
 * <pre>
 * closed  --url U [--body B] [--connections 64] [--duration 20] [--max-requests N] [--client socket|jdk]
 *         [--after-ready URL [--waiting-file F] [--watch-pid-files NAME=FILE,...]]
 *         closed loop: each connection sends its next request when the previous answer arrived. With --after-ready:
 *         first polls URL (GET, every 10 ms, up to 120 s) until it answers 200, then starts at once (the cold row:
 *         no JVM start of the generator between the app's readiness and the first request); --waiting-file is
 *         created when the polling begins, so a script can start the app only then
 * open    --url U [--rate 1000] [--duration 20] [--connections 64]
 *         open loop: request i is due at start + i/rate (wall clock); its latency runs from that due time,
 *         so a stalled server is charged for every request it delayed (no coordinated omission)
 * e2e     --url U --count N --queue Q --amqp-uri A [--connections 64] [--rabbitmqctl "rabbitmqctl -p vhost"]
 *         [--done-metric http://host:port/q/metrics#counter_name]
 *         posts N tasks, then waits until they are all done; times first POST to done. With --done-metric: done when
 *         that Prometheus counter (summed over its series) rose by the number of accepted tasks, polled every 10 to
 *         100 ms (the nearer the end at the rate seen so far, the more often: a scrape costs the worker CPU);
 *         without: when Q holds no ready message (polled every 10 ms) and no unacknowledged one (rabbitmqctl, whose
 *         each call takes a second or more, so the end is only known that coarsely). Either way Q is checked after.
 * amqp    --op purge|delete|count|ping [--queue Q] --amqp-uri A
 * watch   --until-pid P --watch name=pid,...   only samples the processes, until process P exits
 * redis   --op check|mark|flush --url redis://host:port --db N   a Redis database of the bench's own: check prints
 *         its size and whether the bench's marker key is there, mark sets it, flush empties it only if marked
 * common: [--watch name=pid,name=pid] peak RSS and CPU of those processes during the measured phase;
 *         [--out file] also writes the key=value results there
 * </pre>
 *
 * The default HTTP client is a minimal blocking HTTP/1.1 keep-alive client on plain sockets, one platform thread
 * per connection: it costs far less CPU per request than java.net.http.HttpClient, which matters when the
 * generator shares two cores with the system under test ({@code --client jdk} compares both; each run reports
 * the generator's own CPU as {@code loadgen.cpu_cores}).
 */
public class LoadGen {

    static final long HARD_CAP_SECONDS = 900;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> o = options(args);
        Results r = new Results();
        switch (args[0]) {
            case "closed" -> closed(o, r);
            case "open" -> open(o, r);
            case "e2e" -> e2e(o, r);
            case "amqp" -> amqp(o, r);
            case "watch" -> watchOnly(o, r);
            case "redis" -> redis(o, r);
            default -> usage();
        }
        r.print(o.get("out"));
    }

    static void usage() {
        System.err.println("usage: LoadGen closed|open|e2e|amqp --option value ... (see the class comment)");
        System.exit(2);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    // ---------------------------------------------------------------- modes

    static void closed(Map<String, String> o, Results r) throws Exception {
        Target t = Target.of(o);
        int connections = intOpt(o, "connections", 64);
        double duration = dblOpt(o, "duration", 20);
        long max = Long.parseLong(o.getOrDefault("max-requests", "20000000"));
        long readyAt = 0;
        if (o.containsKey("after-ready")) {
            if (o.containsKey("waiting-file")) {
                Files.writeString(Path.of(o.get("waiting-file")), "waiting\n");
            }
            readyAt = awaitReady(o.get("after-ready"), TimeUnit.SECONDS.toNanos(120));
        }
        String watchSpec = o.get("watch");
        if (o.containsKey("watch-pid-files")) {
            // NAME=FILE,...: processes started after this generator (e.g. the gateway of the cold row), whose pid its
            // starter wrote to FILE; read once the readiness URL answered.
            StringBuilder spec = new StringBuilder(watchSpec == null ? "" : watchSpec);
            for (String pair : o.get("watch-pid-files").split(",")) {
                String[] kv = pair.split("=", 2);
                Path f = Path.of(kv[1]);
                if (kv.length == 2 && Files.exists(f)) {
                    spec.append(spec.length() == 0 ? "" : ",").append(kv[0]).append('=').append(Files.readString(f).trim());
                }
            }
            watchSpec = spec.toString();
        }
        Watch watch = Watch.start(watchSpec);
        Run run = "jdk".equals(o.get("client"))
                ? closedLoopJdk(t, connections, duration, max)
                : closedLoop(t, connections, duration, max);
        watch.stop(r);
        run.report("closed", r);
        if (readyAt != 0) {
            // from the first 200 of the readiness URL to the first request (connecting the 64 connections)
            r.put("closed.start_after_ready_ms", fmt((run.start - readyAt) / 1e6));
        }
        r.put("closed.connections", connections);
        r.put("closed.client", o.getOrDefault("client", "socket"));
    }

    static void open(Map<String, String> o, Results r) throws Exception {
        Target t = Target.of(o);
        int rate = intOpt(o, "rate", 1000);
        double duration = dblOpt(o, "duration", 20);
        int connections = intOpt(o, "connections", 64);
        Watch watch = Watch.start(o.get("watch"));
        Run run = openLoop(t, rate, duration, connections);
        watch.stop(r);
        run.report("open", r);
        r.put("open.target_rate", rate);
    }

    static void e2e(Map<String, String> o, Results r) throws Exception {
        Target t = Target.of(o);
        int count = intOpt(o, "count", 20000);
        int connections = intOpt(o, "connections", 64);
        String queue = o.getOrDefault("queue", "conveyor.task.noop");
        com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
        f.setUri(o.getOrDefault("amqp-uri", "amqp://guest:guest@127.0.0.1:5672/%2F"));
        try (com.rabbitmq.client.Connection c = f.newConnection("conveyor-bench-e2e");
             com.rabbitmq.client.Channel ch = c.createChannel()) {
            long before = ch.queueDeclarePassive(queue).getMessageCount();
            if (before != 0) {
                throw new IllegalStateException(queue + " holds " + before + " ready messages before the run; purge it");
            }
            String doneMetric = o.get("done-metric");
            double doneBefore = doneMetric == null ? 0 : counter(doneMetric);
            Watch watch = Watch.start(o.get("watch"));
            Run run = closedLoop(t, connections, HARD_CAP_SECONDS, count);
            long postedNanos = run.lastEnd;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("drain-timeout", "300")));

            // 0. the consumer's own count of finished tasks, where given: exact to about 10 ms (see below)
            Long doneAt = null;
            if (doneMetric != null) {
                // A scrape formats every metric the worker has: polling every 10 ms cost the worker ~8 % of its CPU
                // while it drained. So poll at most every 100 ms while the remaining tasks need longer than that at
                // the rate seen so far, and down to every 10 ms near the end, which keeps the end exact to about 10 ms.
                double done;
                long lastAt = 0;
                double lastDone = Double.NaN;
                double rate = 0;
                while ((done = counter(doneMetric) - doneBefore) < run.ok.get() && System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    if (!Double.isNaN(lastDone) && done > lastDone && now > lastAt) {
                        rate = (done - lastDone) / ((now - lastAt) / 1e9);
                    }
                    lastAt = now;
                    lastDone = done;
                    double remainingMs = rate > 0 ? (run.ok.get() - done) / rate * 1000 : 0;
                    Thread.sleep((long) Math.max(10, Math.min(100, remainingMs / 2)));
                }
                doneAt = System.nanoTime();
                // The checks below confirm, they are not measured: rabbitmqctl alone costs a CPU second or more.
                watch.stop(r, doneAt);
            }
            // 1. no ready message left (AMQP passive declare: cheap, polled every 10 ms)
            long ready;
            while ((ready = ch.queueDeclarePassive(queue).getMessageCount()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long end = System.nanoTime();
            String method = "amqp-ready";
            // 2. no unacknowledged message left: a passive declare counts ready messages only, rabbitmqctl counts both.
            String ctl = o.get("rabbitmqctl");
            long remaining = ready;
            if (ready == 0 && ctl != null && !ctl.isBlank()) {
                method = "amqp-ready+rabbitmqctl";
                boolean first = true;
                while ((remaining = ctlMessages(ctl, queue)) != 0 && System.nanoTime() < deadline) {
                    first = false;
                    Thread.sleep(50);
                }
                // Emptied while a check ran, the latest moment is when that check returned; if the first check
                // already saw zero, every in-flight message (at most the prefetch) finished since the ready count hit 0.
                if (!first) {
                    end = System.nanoTime();
                }
            }
            // 3. the status API, where it exists: wait for the last accepted task to be SUCCEEDED as well
            String lastId = run.lastLocation.get();
            if (lastId != null && remaining == 0) {
                String status = statusOf(t, lastId);
                // null: no GET /api/v1/tasks/{id} (yet), or it did not answer 200 with a status for that task
                r.put("e2e.status_api", status == null ? "no-answer" : "present");
                if (status != null) {
                    boolean waited = false;
                    long lastAnswer = System.nanoTime();
                    while (!"SUCCEEDED".equals(status) && !"DEAD".equals(status) && !"CANCELLED".equals(status)
                            && System.nanoTime() < deadline && System.nanoTime() - lastAnswer < 5_000_000_000L) {
                        waited = true;
                        Thread.sleep(10);
                        String now = statusOf(t, lastId);
                        if (now != null) {
                            status = now;
                            lastAnswer = System.nanoTime();
                        }
                    }
                    // Already finished when the queue was seen empty: the end stays there. Otherwise it is when
                    // the status turned terminal (within the 10 ms poll).
                    if (waited) {
                        end = Math.max(end, System.nanoTime());
                    }
                    r.put("e2e.last_task_status", status);
                    method += "+status-api";
                }
            }
            if (doneAt != null) {
                // The queue checks above only confirmed that nothing is left: the counter said when it was done.
                end = doneAt;
                method = "done-metric, confirmed by " + method;
            } else {
                watch.stop(r, end);
            }
            run.report("e2e.post", r);
            r.put("e2e.count", count);
            r.put("e2e.done_method", method);
            r.put("e2e.remaining_messages", remaining);
            r.put("e2e.post_seconds", fmt((postedNanos - run.start) / 1e9));
            double seconds = (end - run.start) / 1e9;
            r.put("e2e.seconds", fmt(seconds));
            r.put("e2e.tasks_per_s", fmt(run.ok.get() / seconds));
            r.put("e2e.completed", remaining == 0);
        }
    }

    /** A Prometheus counter summed over its series: {@code http://host:port/path#name}. */
    static double counter(String spec) throws IOException {
        URI uri = URI.create(spec);
        String name = uri.getFragment();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            s.setSoTimeout(5000);
            String req = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/plain\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!resp.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + spec + ": " + resp.lines().findFirst().orElse("no answer"));
            }
            double sum = 0;
            for (String line : resp.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                }
            }
            return sum;
        }
    }

    static long ctlMessages(String ctl, String queue) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(ctl.trim().split("\\s+")));
        cmd.addAll(List.of("-q", "list_queues", "name", "messages"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' failed: " + out);
        }
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(queue)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new IOException("queue " + queue + " not in: " + out);
    }

    /** Polls {@code url} (GET) every 10 ms until it answers 200; returns System.nanoTime() of that answer. */
    static long awaitReady(String url, long timeoutNanos) throws Exception {
        URI u = URI.create(url);
        int port = u.getPort() < 0 ? 80 : u.getPort();
        byte[] req = ("GET " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + port
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), port), 1000);
                s.setSoTimeout(1000);
                s.getOutputStream().write(req);
                byte[] head = s.getInputStream().readNBytes(12);
                if (new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet, or not answering yet: poll again
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " did not answer 200 within " + timeoutNanos / 1_000_000_000L + " s");
    }

    /** The task's status from GET /api/v1/tasks/{id}, or null when that endpoint does not exist (yet). */
    static String statusOf(Target t, String location) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.host, t.port), 2000);
            s.setSoTimeout(5000);
            String req = "GET " + location + " HTTP/1.1\r\nHost: " + t.host + ":" + t.port + AUTHORIZATION
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!resp.startsWith("HTTP/1.1 200")) {
                return null;
            }
            int i = resp.indexOf("\"status\"");
            if (i < 0) {
                return null;
            }
            int q1 = resp.indexOf('"', resp.indexOf(':', i) + 1);
            return resp.substring(q1 + 1, resp.indexOf('"', q1 + 1));
        } catch (IOException e) {
            return null;
        }
    }

    static void watchOnly(Map<String, String> o, Results r) throws Exception {
        long until = Long.parseLong(o.get("until-pid"));
        Watch watch = Watch.start(o.get("watch"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_CAP_SECONDS);
        while (alive(until) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        watch.stop(r);
    }

    /** True while the process exists and is not a zombie waiting to be reaped. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static final String REDIS_MARKER = "conveyor-bench:owner";

    /** Minimal RESP client: enough to isolate the apps' state in a Redis database the bench owns, and clean it. */
    static void redis(Map<String, String> o, Results r) throws Exception {
        URI u = URI.create(o.getOrDefault("url", "redis://127.0.0.1:6379"));
        int db = Integer.parseInt(o.getOrDefault("db", "15"));
        String userInfo = u.getRawUserInfo();
        r.put("redis.url", "redis://" + (userInfo == null ? "" : userInfo + "@") + u.getHost() + ":"
                + (u.getPort() < 0 ? 6379 : u.getPort()) + "/" + db);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()), 3000);
            s.setSoTimeout(10_000);
            Conn c = new Conn(null);
            c.socket = s;
            c.in = s.getInputStream();
            c.out = s.getOutputStream();
            if (userInfo != null && !userInfo.isEmpty()) {
                String[] up = userInfo.split(":", 2);
                Object auth = up.length == 2 && !up[0].isEmpty() ? resp(c, "AUTH", up[0], up[1])
                        : resp(c, "AUTH", up[up.length - 1]);
                r.put("redis.auth", auth);
            }
            resp(c, "SELECT", String.valueOf(db));
            switch (o.getOrDefault("op", "check")) {
                case "check" -> {
                    r.put("redis.dbsize", resp(c, "DBSIZE"));
                    r.put("redis.marked", resp(c, "EXISTS", REDIS_MARKER));
                }
                case "mark" -> r.put("redis.mark", resp(c, "SET", REDIS_MARKER, "bench/run.sh"));
                case "flush" -> {
                    if (Long.valueOf(1).equals(resp(c, "EXISTS", REDIS_MARKER))) {
                        r.put("redis.flushed", resp(c, "DBSIZE"));
                        resp(c, "FLUSHDB");
                    } else {
                        r.put("redis.flushed", "refused: database " + db + " is not marked as the bench's");
                    }
                }
                default -> usage();
            }
        }
    }

    static Object resp(Conn c, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        c.out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        String line = c.line();
        return switch (line.charAt(0)) {
            case '+' -> line.substring(1);
            case ':' -> Long.parseLong(line.substring(1));
            case '$' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len < 0) {
                    yield null;
                }
                String v = c.line();
                yield v;
            }
            default -> throw new IOException("Redis " + args[0] + ": " + line);
        };
    }

    static void amqp(Map<String, String> o, Results r) throws Exception {
        com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
        f.setUri(o.getOrDefault("amqp-uri", "amqp://guest:guest@127.0.0.1:5672/%2F"));
        f.setConnectionTimeout(5000);
        String queue = o.get("queue");
        String op = o.getOrDefault("op", "count");
        try (com.rabbitmq.client.Connection c = f.newConnection("conveyor-bench");
             com.rabbitmq.client.Channel ch = c.createChannel()) {
            switch (op) {
                case "purge" -> r.put("amqp.purged", ch.queuePurge(queue).getMessageCount());
                case "delete" -> r.put("amqp.deleted", ch.queueDelete(queue).getMessageCount());
                case "count" -> r.put("amqp.ready", ch.queueDeclarePassive(queue).getMessageCount());
                case "ping" -> r.put("amqp.server", c.getServerProperties().get("version"));
                default -> usage();
            }
        }
    }

    // ---------------------------------------------------------------- load loops

    /** A connection for one load thread; a failure to open it counts as a connection error of that thread. */
    static Conn connect(Target t, Recorder rec) {
        Conn conn = new Conn(t);
        try {
            conn.open();
        } catch (IOException e) {
            rec.connErrors++;
            rec.note(e);
        }
        return conn;
    }

    /** Closed loop on plain sockets: {@code connections} threads, each sending its next request on an answer. */
    static Run closedLoop(Target t, int connections, double durationSeconds, long maxRequests) throws Exception {
        Run run = new Run(connections);
        AtomicLong issued = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] startHolder = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int index = i;
            Thread th = new Thread(() -> {
                Recorder rec = run.recorders[index];
                Conn conn = connect(t, rec);
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = startHolder[0] + (long) (durationSeconds * 1e9);
                while (System.nanoTime() < end && issued.incrementAndGet() <= maxRequests) {
                    long s = System.nanoTime();
                    rec.exchange(conn, t.request, s, run);
                }
                conn.close();
            }, "closed-" + i);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        ready.await();
        run.begin();
        startHolder[0] = run.start;
        go.countDown();
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(HARD_CAP_SECONDS + 60));
        }
        run.finish();
        return run;
    }

    /** The same closed loop on java.net.http.HttpClient (HTTP/1.1, two executor threads), for comparison. */
    static Run closedLoopJdk(Target t, int connections, double durationSeconds, long maxRequests) throws Exception {
        Run run = new Run(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(t.url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (!AUTHORIZATION.isEmpty()) {
            builder.header("Authorization", "Bearer " + API_KEY);
        }
        HttpRequest req = builder.POST(HttpRequest.BodyPublishers.ofByteArray(t.body)).build();
        Recorder rec = run.recorders[0];
        AtomicLong issued = new AtomicLong();
        Semaphore done = new Semaphore(0);
        run.begin();
        long end = run.start + (long) (durationSeconds * 1e9);
        class User {
            void next() {
                if (System.nanoTime() >= end || issued.incrementAndGet() > maxRequests) {
                    done.release();
                    return;
                }
                long s = System.nanoTime();
                client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                    long now = System.nanoTime();
                    synchronized (rec) {
                        if (err != null) {
                            rec.connErrors++;
                            rec.note(err);
                        } else {
                            rec.status(resp.statusCode(), (now - s) / 1000);
                            resp.headers().firstValue("Location").ifPresent(run.lastLocation::set);
                        }
                    }
                    run.completed(now);
                    next();
                });
            }
        }
        for (int i = 0; i < connections; i++) {
            new User().next();
        }
        done.tryAcquire(connections, (long) durationSeconds + 120, TimeUnit.SECONDS);
        run.finish();
        pool.shutdownNow();
        return run;
    }

    /**
     * Open loop: request i is due at start + i/rate. {@code connections} sender threads take due times from a
     * queue; latency = answer time − due time, so queueing behind a slow answer is measured, not hidden.
     */
    static Run openLoop(Target t, int rate, double durationSeconds, int connections) throws Exception {
        int total = (int) Math.round(rate * durationSeconds);
        Run run = new Run(connections);
        BlockingQueue<Long> due = new ArrayBlockingQueue<>(total + connections + 1);
        AtomicInteger maxBacklog = new AtomicInteger();
        long poison = Long.MIN_VALUE;
        CountDownLatch ready = new CountDownLatch(connections);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int index = i;
            Thread th = new Thread(() -> {
                Recorder rec = run.recorders[index];
                Conn conn = connect(t, rec);
                ready.countDown();
                try {
                    for (long d; (d = due.take()) != poison; ) {
                        rec.exchange(conn, t.request, d, run);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                conn.close();
            }, "open-" + i);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        ready.await();
        run.begin();
        double period = 1e9 / rate;
        long late = 0;
        for (int i = 0; i < total; i++) {
            long at = run.start + (long) (i * period);
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (-wait > 1_000_000) {
                late++; // the scheduler itself fell behind by over 1 ms (still charged to the latency)
            }
            due.add(at);
            int backlog = due.size();
            if (backlog > maxBacklog.get()) {
                maxBacklog.set(backlog);
            }
        }
        long scheduledEnd = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            due.add(poison);
        }
        long deadline = scheduledEnd + TimeUnit.SECONDS.toNanos(30);
        for (Thread th : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                th.join(Math.max(1, left / 1_000_000));
            }
        }
        run.finish();
        run.extra.put("open.requests_scheduled", total);
        run.extra.put("open.max_backlog", maxBacklog.get());
        run.extra.put("open.scheduler_late_over_1ms", late);
        run.extra.put("open.scheduled_seconds", fmt((scheduledEnd - run.start) / 1e9));
        long answered = run.answered();
        run.extra.put("open.unanswered", total - answered);
        return run;
    }

    // ---------------------------------------------------------------- HTTP/1.1 on a socket

    /** BENCH_API_KEY, sent as a bearer key on every request when set (bench/run.sh --api-key). */
    static final String API_KEY = System.getenv("BENCH_API_KEY");
    static final String AUTHORIZATION =
            API_KEY == null || API_KEY.isEmpty() ? "" : "\r\nAuthorization: Bearer " + API_KEY;

    static final class Target {
        final String url;
        final String host;
        final int port;
        final byte[] body;
        final byte[] request;

        Target(String url, String body) {
            URI u = URI.create(url);
            this.url = url;
            this.host = u.getHost();
            this.port = u.getPort() < 0 ? 80 : u.getPort();
            this.body = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + u.getRawPath() + " HTTP/1.1\r\nHost: " + host + ":" + port + AUTHORIZATION
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                    + this.body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            request = Arrays.copyOf(h, h.length + this.body.length);
            System.arraycopy(this.body, 0, request, h.length, this.body.length);
        }

        static Target of(Map<String, String> o) {
            return new Target(o.getOrDefault("url", "http://127.0.0.1:8080/api/v1/tasks"),
                    o.getOrDefault("body", "{\"type\":\"noop\"}"));
        }
    }

    static final class Conn {
        final Target t;
        Socket socket;
        InputStream in;
        OutputStream out;
        final byte[] buf = new byte[16384];
        int pos;
        int lim;
        String location;

        Conn(Target t) {
            this.t = t;
        }

        void open() throws IOException {
            close();
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            s.connect(new InetSocketAddress(t.host, t.port), 5000);
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            pos = lim = 0;
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
                socket = null;
            }
        }

        /** Sends one request and reads the whole answer; returns the status code. */
        int exchange(byte[] request) throws IOException {
            if (socket == null) {
                open();
            }
            out.write(request);
            String statusLine = line();
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int code = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            location = null;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int c = h.indexOf(':');
                if (c <= 0) {
                    continue;
                }
                String name = h.substring(0, c);
                String value = h.substring(c + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    close = value.equalsIgnoreCase("close");
                } else if (name.equalsIgnoreCase("location")) {
                    location = value;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(stripExt(line()), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else if (code >= 200 && code != 204 && code != 304) {
                close = true; // body delimited by close: drop the connection
            }
            if (close) {
                close();
            }
            return code;
        }

        private static String stripExt(String s) {
            int i = s.indexOf(';');
            return (i < 0 ? s : s.substring(0, i)).trim();
        }

        private boolean fill() throws IOException {
            if (pos < lim) {
                return true;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                throw new EOFException("connection closed by server");
            }
            pos = 0;
            lim = n;
            return true;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                fill();
                while (pos < lim) {
                    byte b = buf[pos++];
                    if (b == '\n') {
                        int len = sb.length();
                        if (len > 0 && sb.charAt(len - 1) == '\r') {
                            sb.setLength(len - 1);
                        }
                        return sb.toString();
                    }
                    sb.append((char) (b & 0xff));
                }
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                fill();
                int take = (int) Math.min(n, lim - pos);
                pos += take;
                n -= take;
            }
        }
    }

    // ---------------------------------------------------------------- recording

    /** Per-thread counters and latencies (µs), merged at the end: no contention while measuring. */
    static final class Recorder {
        static final long SLOW_MICROS = 10_000;
        long[] lat = new long[1 << 16];
        int n;
        long ok;
        long non2xx;
        long connErrors;
        final Map<Integer, Long> statuses = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        /** Answers over {@link #SLOW_MICROS} by the second of the run they were due in: where a stall happened. */
        final Map<Long, Long> slowBySecond = new TreeMap<>();
        /** 2xx answers by the second of the run they arrived in (the socket client only): how a cold JVM ramps up. */
        long[] okBySecond = new long[64];

        void exchange(Conn conn, byte[] request, long from, Run run) {
            int code;
            try {
                code = conn.exchange(request);
            } catch (IOException e) {
                long now = System.nanoTime();
                connErrors++;
                note(e);
                conn.close();
                run.completed(now);
                return;
            }
            long now = System.nanoTime();
            long micros = (now - from) / 1000;
            status(code, micros);
            if (code >= 200 && code < 300) {
                int second = (int) ((now - run.start) / 1_000_000_000L);
                if (second >= okBySecond.length) {
                    okBySecond = Arrays.copyOf(okBySecond, Math.max(second + 1, okBySecond.length * 2));
                }
                okBySecond[second]++;
            }
            if (micros > SLOW_MICROS) {
                slowBySecond.merge((from - run.start) / 1_000_000_000L, 1L, Long::sum);
            }
            if (conn.location != null) {
                run.lastLocation.set(conn.location);
            }
            run.completed(now);
        }

        void status(int code, long micros) {
            statuses.merge(code, 1L, Long::sum);
            if (code >= 200 && code < 300) {
                ok++;
                if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                }
                lat[n++] = micros;
            } else {
                non2xx++;
            }
        }

        void note(Throwable e) {
            errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1L, Long::sum);
        }
    }

    static final class Run {
        final Recorder[] recorders;
        final AtomicLong lastEndHolder = new AtomicLong();
        final AtomicReference<String> lastLocation = new AtomicReference<>();
        final AtomicLong ok = new AtomicLong();
        final Map<String, Object> extra = new LinkedHashMap<>();
        long start;
        long lastEnd;
        long cpuStart;

        Run(int n) {
            recorders = new Recorder[n];
            for (int i = 0; i < n; i++) {
                recorders[i] = new Recorder();
            }
        }

        void begin() {
            cpuStart = selfCpuNanos();
            start = System.nanoTime();
        }

        void completed(long now) {
            lastEndHolder.accumulateAndGet(now, Math::max);
        }

        void finish() {
            lastEnd = Math.max(lastEndHolder.get(), start + 1);
            long cpu = selfCpuNanos() - cpuStart;
            extra.put("loadgen.cpu_cores", fmt(cpu / (double) (System.nanoTime() - start)));
            ok.set(Arrays.stream(recorders).mapToLong(r -> r.ok).sum());
        }

        long answered() {
            return Arrays.stream(recorders).mapToLong(r -> r.ok + r.non2xx + r.connErrors).sum();
        }

        void report(String prefix, Results r) {
            long okCount = 0;
            long non2xx = 0;
            long conn = 0;
            int total = 0;
            Map<Integer, Long> statuses = new TreeMap<>();
            Map<String, Long> errors = new TreeMap<>();
            Map<Long, Long> slow = new TreeMap<>();
            long[] okBySecond = new long[0];
            for (Recorder rec : recorders) {
                synchronized (rec) {
                    rec.slowBySecond.forEach((k, v) -> slow.merge(k, v, Long::sum));
                    if (rec.okBySecond.length > okBySecond.length) {
                        okBySecond = Arrays.copyOf(okBySecond, rec.okBySecond.length);
                    }
                    for (int i = 0; i < rec.okBySecond.length; i++) {
                        okBySecond[i] += rec.okBySecond[i];
                    }
                    okCount += rec.ok;
                    non2xx += rec.non2xx;
                    conn += rec.connErrors;
                    total += rec.n;
                    rec.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
                    rec.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
                }
            }
            long[] all = new long[total];
            int at = 0;
            for (Recorder rec : recorders) {
                System.arraycopy(rec.lat, 0, all, at, rec.n);
                at += rec.n;
            }
            Arrays.sort(all);
            double seconds = (lastEnd - start) / 1e9;
            r.put(prefix + ".ok", okCount);
            r.put(prefix + ".non2xx", non2xx);
            r.put(prefix + ".conn_errors", conn);
            r.put(prefix + ".seconds", fmt(seconds));
            r.put(prefix + ".ok_per_s", fmt(okCount / seconds));
            r.put(prefix + ".p50_ms", ms(pct(all, 50)));
            r.put(prefix + ".p90_ms", ms(pct(all, 90)));
            r.put(prefix + ".p99_ms", ms(pct(all, 99)));
            r.put(prefix + ".p999_ms", ms(pct(all, 99.9)));
            r.put(prefix + ".max_ms", ms(all.length == 0 ? -1 : all[all.length - 1]));
            r.put(prefix + ".statuses", statuses.toString().replace(" ", ""));
            // "second of the run: answers over 10 ms" (by due time in the open loop, by send time in the closed one)
            r.put(prefix + ".over_10ms_by_second", slow.toString().replace(" ", ""));
            // "2xx answers in second 0, 1, 2, ... of the run" (the last, partial second included)
            int seconds0 = (int) Math.min(okBySecond.length, (lastEnd - start) / 1_000_000_000L + 1);
            r.put(prefix + ".ok_by_second", Arrays.toString(Arrays.copyOf(okBySecond, Math.max(0, seconds0))).replace(" ", ""));
            errors.forEach((k, v) -> r.put(prefix + ".error", v + "x " + k.replace('\n', ' ')));
            extra.forEach(r::put);
        }
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String ms(long micros) {
        return micros < 0 ? "n/a" : String.format("%.2f", micros / 1000.0);
    }

    static String fmt(double d) {
        return String.format("%.2f", d);
    }

    static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // ---------------------------------------------------------------- process watch (/proc)

    /** Samples VmRSS (peak) every 100 ms and the CPU time of named processes, plus whole-machine CPU use. */
    static final class Watch {
        final Map<String, Long> pids = new LinkedHashMap<>();
        final Map<String, Long> peakKb = new ConcurrentHashMap<>();
        /** RssAnon and RssFile (+ RssShmem) at the sample of the VmRSS peak: what the heap, code and dirtied pages take
         * against the pages mapped from files (the jar, the JDK's modules, an AOT cache), which the kernel can drop. */
        final Map<String, long[]> peakSplitKb = new ConcurrentHashMap<>();
        final Map<String, Long> cpuStart = new LinkedHashMap<>();
        final Map<String, Long> cpuLast = new ConcurrentHashMap<>();
        /** Per JVM, per thread id: {kind, ticks} of its JIT compiler threads (kind 0) and of its VM thread (kind 1,
         * where the serial GC runs); kept per thread because idle compiler threads exit and take their ticks along. */
        final Map<String, Map<Long, long[]>> jvmStart = new LinkedHashMap<>();
        final Map<String, Map<Long, long[]>> jvmLast = new ConcurrentHashMap<>();
        int samples;
        long[] sysStart;
        Map<Long, Long> allStart;
        long wallStart;
        volatile boolean running = true;
        Thread sampler;

        static Watch start(String spec) {
            Watch w = new Watch();
            if (spec != null && !spec.isBlank()) {
                for (String pair : spec.split(",")) {
                    String[] kv = pair.split("=");
                    if (kv.length == 2 && !kv[1].isBlank()) {
                        w.pids.put(kv[0], Long.parseLong(kv[1].trim()));
                    }
                }
            }
            w.pids.forEach((name, pid) -> {
                w.cpuStart.put(name, cpuTicks(pid));
                w.jvmStart.put(name, jvmThreadTicks(pid));
            });
            w.allStart = allTicks();
            w.sysStart = systemTicks();
            w.wallStart = System.nanoTime();
            w.sampler = new Thread(() -> {
                while (w.running) {
                    w.sample();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "watch");
            w.sampler.setDaemon(true);
            w.sampler.start();
            return w;
        }

        void sample() {
            samples++;
            pids.forEach((name, pid) -> {
                long[] rss = rssKb(pid);
                long kb = rss[0];
                if (kb > 0 && kb > peakKb.getOrDefault(name, 0L)) {
                    peakKb.put(name, kb);
                    peakSplitKb.put(name, rss);
                }
                long ticks = cpuTicks(pid);
                if (ticks >= 0) {
                    cpuLast.put(name, ticks); // the last value seen: a process that exited keeps its figure
                    if (samples % 5 == 0) { // every 0.5 s: a JVM has ~100 threads to read
                        jvmLast.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).putAll(jvmThreadTicks(pid));
                    }
                }
            });
        }

        void stop(Results r) throws InterruptedException {
            stop(r, System.nanoTime());
        }

        void stop(Results r, long end) throws InterruptedException {
            running = false;
            sampler.interrupt();
            sampler.join();
            sample();
            pids.forEach((name, pid) -> {
                Map<Long, long[]> last = jvmThreadTicks(pid);
                if (!last.isEmpty()) {
                    jvmLast.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).putAll(last);
                }
            });
            double wall = (Math.max(end, System.nanoTime()) - wallStart) / 1e9;
            long[] sysEnd = systemTicks();
            pids.forEach((name, pid) -> {
                r.put("watch." + name + ".pid", pid);
                r.put("watch." + name + ".rss_peak_mb", fmt(peakKb.getOrDefault(name, 0L) / 1024.0));
                long[] split = peakSplitKb.get(name);
                if (split != null) {
                    r.put("watch." + name + ".rss_peak_anon_mb", fmt(split[1] / 1024.0));
                    r.put("watch." + name + ".rss_peak_file_mb", fmt(split[2] / 1024.0));
                }
                long a = cpuStart.get(name);
                long b = cpuLast.getOrDefault(name, -1L);
                if (a >= 0 && b >= 0) {
                    r.put("watch." + name + ".cpu_cores", fmt((b - a) / 100.0 / wall)); // USER_HZ = 100
                }
                Map<Long, long[]> js = jvmStart.getOrDefault(name, Map.of());
                Map<Long, long[]> je = jvmLast.get(name);
                if (je != null && !je.isEmpty()) {
                    long[] used = {0, 0};
                    je.forEach((tid, kt) -> used[(int) kt[0]] += Math.max(0, kt[1] - js.getOrDefault(tid, new long[] {0, 0})[1]));
                    r.put("watch." + name + ".jit_cores", fmt(used[0] / 100.0 / wall));
                    r.put("watch." + name + ".vm_thread_cores", fmt(used[1] / 100.0 / wall));
                }
            });
            if (sysStart != null && sysEnd != null) {
                long busy = (sysEnd[0] - sysEnd[1]) - (sysStart[0] - sysStart[1]);
                long all = sysEnd[0] - sysStart[0];
                r.put("watch.machine.cpu_busy_pct", fmt(all == 0 ? 0 : 100.0 * busy / all));
                // Interrupt and softirq time (loopback networking lands there) and hypervisor steal belong to
                // no process: named here so that "other processes" can be told apart from them.
                Map<String, Double> others = new TreeMap<>();
                others.put("[irq+softirq]", (sysEnd[2] - sysStart[2]) / 100.0 / wall);
                others.put("[steal]", (sysEnd[3] - sysStart[3]) / 100.0 / wall);
                // Every other process's CPU over the phase, by program, the biggest first.
                Map<Long, Long> allEnd = allTicks();
                long self = ProcessHandle.current().pid();
                allEnd.forEach((pid, ticks) -> {
                    if (pid == self || pids.containsValue(pid)) {
                        return;
                    }
                    long delta = ticks - allStart.getOrDefault(pid, 0L);
                    if (delta > 0) {
                        others.merge(label(pid), delta / 100.0 / wall, Double::sum);
                    }
                });
                StringBuilder top = new StringBuilder();
                others.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                        .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(6)
                        .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                                .append(fmt(e.getValue())));
                r.put("watch.others", top.length() == 0 ? "none" : top);
            }
        }

        /** {kind, utime + stime} by thread id of a JVM's JIT compiler threads ("C1/C2 CompilerThre…", kind 0) and
         * of its "VM Thread" (kind 1). */
        static Map<Long, long[]> jvmThreadTicks(long pid) {
            Map<Long, long[]> t = new java.util.HashMap<>();
            try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    try {
                        String comm = Files.readString(task.resolve("comm")).trim();
                        int kind = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? 0
                                : comm.equals("VM Thread") ? 1 : -1;
                        if (kind >= 0) {
                            String stat = Files.readString(task.resolve("stat"));
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            t.put(Long.parseLong(task.getFileName().toString()),
                                    new long[] {kind, Long.parseLong(f[11]) + Long.parseLong(f[12])});
                        }
                    } catch (IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (IOException | RuntimeException e) {
                // process gone
            }
            return t;
        }

        /** utime + stime of every process, by pid. */
        static Map<Long, Long> allTicks() {
            Map<Long, Long> all = new java.util.HashMap<>();
            try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path d : dirs) {
                    long pid = Long.parseLong(d.getFileName().toString());
                    long t = cpuTicks(pid);
                    if (t >= 0) {
                        all.put(pid, t);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc
            }
            return all;
        }

        /** A short name for a process: the jar or main class of a JVM, else the command's name. */
        static String label(long pid) {
            try {
                String[] args = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                        .split("\0");
                String cmd = args.length == 0 || args[0].isEmpty()
                        ? Files.readString(Path.of("/proc/" + pid + "/comm")).trim()
                        : args[0].substring(args[0].lastIndexOf('/') + 1);
                if (cmd.equals("java")) {
                    for (int i = 1; i < args.length; i++) {
                        String a = args[i];
                        if (a.equals("-jar") && i + 1 < args.length) {
                            String jar = args[i + 1];
                            return "java -jar " + jar.substring(jar.lastIndexOf('/') + 1).replaceAll("[0-9]{6,}", "N");
                        }
                        if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")
                                || a.equals("--add-opens") || a.equals("--add-exports") || a.equals("-p")) {
                            i++;
                        } else if (!a.startsWith("-")) {
                            return "java " + a.substring(a.lastIndexOf('.') + 1);
                        }
                    }
                }
                return cmd;
            } catch (IOException | RuntimeException e) {
                return "pid " + pid;
            }
        }

        /** VmRSS, RssAnon and RssFile + RssShmem in kB, or -1s when the process is gone. */
        static long[] rssKb(long pid) {
            long[] kb = {-1, -1, -1};
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    int i = line.startsWith("VmRSS:") ? 0 : line.startsWith("RssAnon:") ? 1 : -1;
                    if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                        kb[2] = Math.max(kb[2], 0) + Long.parseLong(line.replaceAll("[^0-9]", ""));
                    } else if (i >= 0) {
                        kb[i] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // process gone or no /proc
            }
            return kb;
        }

        static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** {total, idle+iowait, irq+softirq, steal} jiffies of the whole machine. */
        static long[] systemTicks() {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of("/proc/stat"))))) {
                String[] f = br.readLine().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5]),
                    Long.parseLong(f[6]) + Long.parseLong(f[7]), f.length > 8 ? Long.parseLong(f[8]) : 0};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    // ---------------------------------------------------------------- output

    static final class Results {
        final List<String> lines = new ArrayList<>();

        void put(String key, Object value) {
            lines.add(key + "=" + value);
        }

        void print(String file) throws IOException {
            String text = String.join("\n", lines) + "\n";
            System.out.print(text);
            if (file != null) {
                Files.writeString(Path.of(file), text);
            }
        }
    }

    static int intOpt(Map<String, String> o, String k, int d) {
        return o.containsKey(k) ? Integer.parseInt(o.get(k)) : d;
    }

    static double dblOpt(Map<String, String> o, String k, double d) {
        return o.containsKey(k) ? Double.parseDouble(o.get(k)) : d;
    }
}
