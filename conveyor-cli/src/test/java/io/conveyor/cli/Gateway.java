package io.conveyor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in gateway on 127.0.0.1 that gives every request one canned answer and records the requests: enough to
 * check how the CLI maps answers to output and exit codes. The real gateway's answers are api-gateway's CliTest.
 */
final class Gateway implements AutoCloseable {

    record Request(
            String method, String uri, String authorization, String prefer, String idempotencyKey, String body) {}

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    private volatile String body = "{}";
    private final Map<String, Answer> byMethod = new ConcurrentHashMap<>();

    Gateway() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Prefer"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer own = byMethod.get(exchange.getRequestMethod());
            int answerStatus = own == null ? status : own.status();
            byte[] bytes = (own == null ? body : own.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add(
                            "Content-Type",
                            own == null
                                    ? contentType
                                    : own.status() >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(answerStatus, bytes.length == 0 ? -1 : bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    Gateway answer(int answerStatus, String answerBody) {
        this.status = answerStatus;
        this.body = answerBody;
        this.contentType = answerStatus >= 400 ? "application/problem+json" : "application/json";
        return this;
    }

    /** The answer to requests of one method (POST, GET), in place of the common one. */
    Gateway answer(String method, int answerStatus, String answerBody) {
        byMethod.put(method, new Answer(answerStatus, answerBody));
        return this;
    }

    Gateway problem(int answerStatus, String slug, String detail) {
        return answer(
                answerStatus,
                "{\"type\":\"urn:conveyor:problem:" + slug + "\",\"title\":\"T" + answerStatus + "\",\"status\":"
                        + answerStatus + ",\"detail\":\"" + detail + "\"}");
    }

    List<Request> requests() {
        return requests;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
