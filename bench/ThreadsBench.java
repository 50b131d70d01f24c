import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The helper of bench/threads.sh (Java 17+; GreenMail and the RabbitMQ client on the class path, fetched by
 * bench/threads/pom.xml).
 *
 * <pre>
 * smtp  --port P
 *       a GreenMail SMTP server on 127.0.0.1:P until killed (messages kept in memory, purged every 2,000)
 * image --width W --height H --out FILE
 *       writes a data: URI of a W x H JPEG (a gradient under light noise, so it compresses as a photo would, not to
 *       nothing); small enough for the gateway's request limit (256 KiB) at 1280 x 960
 * drain --amqp-uri A --type T --count N --payload JSON|@FILE --metrics URL --pid PID [--timeout 600]
 *       publishes N tasks of type T as the gateway does (exchange conveyor.tasks, routing key T, the envelope as JSON,
 *       the x- headers of TaskMessages, persistent, confirmed), then waits until the worker's
 *       conveyor_tasks_succeeded_total plus conveyor_tasks_dead_lettered_total for T (read from URL every 50 ms)
 *       rose by N. Meanwhile it samples the worker's VmRSS and Threads (/proc/PID/status) every 20 ms. Prints
 *       key=value lines: seconds (first publish to the last task done), tasks_per_s, cpu_ms_per_task (the
 *       worker's user + system time over the run, per task), peak_rss_mb, peak_threads, dead.
 * </pre>
 */
public class ThreadsBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args.length == 0 ? "" : args[0]) {
            case "smtp" -> smtp(Integer.parseInt(o.get("port")));
            case "image" -> image(Integer.parseInt(o.get("width")), Integer.parseInt(o.get("height")), o.get("out"));
            case "drain" -> drain(o);
            default -> {
                System.err.println("usage: ThreadsBench smtp|image|drain --option value ... (see the class comment)");
                System.exit(2);
            }
        }
    }

    static void smtp(int port) throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        System.out.println("smtp.ready=1");
        while (true) {
            Thread.sleep(1000);
            if (mail.getReceivedMessages().length > 2000) {
                mail.purgeEmailFromAllMailboxes();
            }
        }
    }

    static void image(int width, int height, String out) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), width, height, new Color(240, 200, 80)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int noise = random.nextInt(9) - 4;
                int r = clamp(((rgb >> 16) & 0xff) + noise);
                int gr = clamp(((rgb >> 8) & 0xff) + noise);
                int b = clamp((rgb & 0xff) + noise);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", jpeg);
        Files.writeString(
                Path.of(out), "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg.toByteArray()));
        System.out.println("image.jpeg_bytes=" + jpeg.size());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static void drain(Map<String, String> o) throws Exception {
        String type = o.get("type");
        int count = Integer.parseInt(o.get("count"));
        String payload = o.get("payload");
        if (payload.startsWith("@")) {
            payload = Files.readString(Path.of(payload.substring(1))).trim();
        }
        long pid = Long.parseLong(o.get("pid"));
        URI metrics = URI.create(o.get("metrics"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout", "600")));
        HttpClient http = HttpClient.newHttpClient();
        long[] initially = done(http, metrics, type);
        long before = initially[0] + initially[1];
        long cpuBefore = cpuTicks(pid);

        Sampler sampler = new Sampler(pid);
        sampler.start();
        long start = System.nanoTime();
        publish(o.get("amqp-uri"), type, count, payload);
        long published = System.nanoTime();
        long[] now;
        long deadline = start + timeout.toNanos();
        while (true) {
            now = done(http, metrics, type);
            if (now[0] + now[1] - before >= count) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (now[0] + now[1] - before) + " of " + count + " done");
            }
            Thread.sleep(50);
        }
        long end = System.nanoTime();
        sampler.finish();
        long cpu = cpuTicks(pid) - cpuBefore;
        double seconds = (end - start) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", String.format("%.2f", seconds));
        r.put("publish_seconds", String.format("%.2f", (published - start) / 1e9));
        r.put("tasks_per_s", String.format("%.0f", count / seconds));
        r.put("cpu_ms_per_task", String.format("%.2f", cpu * 10.0 / count));
        r.put("peak_rss_mb", sampler.peakRssKb / 1024);
        r.put("peak_threads", sampler.peakThreads);
        r.put("dead", now[1] - initially[1]);
        r.forEach((k, v) -> System.out.println(k + "=" + v));
    }

    /** [succeeded, dead-lettered] for the type, from the worker's Prometheus page. */
    static long[] done(HttpClient http, URI metrics, String type) throws IOException, InterruptedException {
        String page = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return new long[] {
            counter(page, "conveyor_tasks_succeeded_total{type=\"" + type + "\"}"),
            counter(page, "conveyor_tasks_dead_lettered_total{type=\"" + type + "\"}")
        };
    }

    private static long counter(String page, String series) {
        for (String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** N messages exactly as the gateway's TaskPublisher sends an accepted task without options. */
    static void publish(String amqpUri, String type, int count, String payload) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUri);
        try (Connection connection = factory.newConnection("conveyor-threads-bench");
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                Instant createdAt = Instant.now();
                String body = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"payload\":" + payload
                        + ",\"maxAttempts\":5,\"createdAt\":\"" + createdAt + "\"}";
                Map<String, Object> headers = new HashMap<>();
                headers.put("x-task-type", type);
                headers.put("x-attempt", 1);
                headers.put("x-max-attempts", 5);
                headers.put("x-enqueued-at", createdAt.toEpochMilli());
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .deliveryMode(2)
                        .messageId(id)
                        .timestamp(Date.from(createdAt))
                        .type(type)
                        .headers(headers)
                        .build();
                channel.basicPublish("conveyor.tasks", type, true, props, body.getBytes(StandardCharsets.UTF_8));
                if (i % 500 == 499) {
                    channel.waitForConfirmsOrDie(30_000);
                }
            }
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Peak VmRSS and thread count of a process, sampled every 20 ms. */
    static final class Sampler extends Thread {
        private final Path status;
        private volatile boolean running = true;
        long peakRssKb;
        long peakThreads;

        Sampler(long pid) {
            this.status = Path.of("/proc/" + pid + "/status");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
                        } else if (line.startsWith("Threads:")) {
                            peakThreads = Math.max(peakThreads, Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join();
        }
    }
}
