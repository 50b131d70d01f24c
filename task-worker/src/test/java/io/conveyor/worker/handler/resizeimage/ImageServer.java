package io.conveyor.worker.handler.resizeimage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server (the JDK's com.sun.net.httpserver) on 127.0.0.1 and an ephemeral port, serving one image and the
 * misbehaviours a fetch must survive. It logs every request's path, and also answers requests in proxy form
 * ({@code GET http://some.host/path}), so it can stand in for any host.
 */
final class ImageServer implements AutoCloseable {

    /** How much {@code /endless} sends at most, if nobody stops reading. */
    static final long ENDLESS_LIMIT = 64L << 20;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "image-server");
        t.setDaemon(true);
        return t;
    });
    private final byte[] image;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong endlessBytesSent = new AtomicLong();
    private final AtomicBoolean endlessStopped = new AtomicBoolean();
    private final CountDownLatch release = new CountDownLatch(1);

    ImageServer(byte[] image) throws IOException {
        this.image = image;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Paths requested so far, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long requestsTo(String path) {
        return requests.stream().filter(path::equals).count();
    }

    long endlessBytesSent() {
        return endlessBytesSent.get();
    }

    /** Whether {@code /endless} stopped sending: its client hung up, or it sent {@link #ENDLESS_LIMIT}. */
    boolean endlessStopped() {
        return endlessStopped.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        try {
            switch (path) {
                case "/cat.png" -> {
                    exchange.getResponseHeaders().set("Content-Type", "image/png");
                    exchange.sendResponseHeaders(200, image.length);
                    exchange.getResponseBody().write(image);
                }
                case "/redirect" -> redirect(exchange, "/cat.png");
                case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
                case "/to-loopback" -> redirect(exchange, url("/cat.png"));
                case "/loop" -> redirect(exchange, "/loop");
                case "/missing" -> exchange.sendResponseHeaders(404, -1);
                case "/unavailable" -> exchange.sendResponseHeaders(503, -1);
                case "/endless" -> endless(exchange);
                case "/declared-huge" -> {
                    exchange.sendResponseHeaders(200, 1L << 30);
                    exchange.getResponseBody().write(image);
                    // JDK 25's server sends nothing of a short fixed-length answer that is closed unflushed.
                    exchange.getResponseBody().flush();
                }
                case "/stall" -> {
                    exchange.sendResponseHeaders(200, image.length);
                    exchange.getResponseBody().write(image, 0, 10);
                    exchange.getResponseBody().flush();
                    release.await(30, TimeUnit.SECONDS);
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        } catch (IOException | InterruptedException e) {
            // The client gave up on purpose (a cap, a refusal, a timeout): nothing to answer any more.
        } finally {
            exchange.close();
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    /** A body without Content-Length that keeps coming: only a cap enforced while streaming stops it. */
    private void endless(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        byte[] block = new byte[16 * 1024];
        System.arraycopy(image, 0, block, 0, Math.min(image.length, block.length));
        try {
            while (endlessBytesSent.get() < ENDLESS_LIMIT) {
                body.write(block);
                body.flush();
                endlessBytesSent.addAndGet(block.length);
            }
        } finally {
            endlessStopped.set(true);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
