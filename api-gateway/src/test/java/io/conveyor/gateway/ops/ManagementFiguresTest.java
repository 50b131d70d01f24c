package io.conveyor.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With RABBITMQ_MANAGEMENT_URL set, the broker's counts come from one management call for every queue, whatever the
 * number of types; when it fails, from AMQP. The management API here is a stand-in that answers what RabbitMQ's would
 * (the shared test broker runs without the plugin), so the calls can be counted; Redis and AMQP are real.
 */
@QuarkusTest
@TestProfile(ManagementFiguresTest.StandIn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementFiguresTest {

    private static final String TYPE = "throwaway_greeting";
    private static final AtomicInteger QUEUE_CALLS = new AtomicInteger();
    private static final AtomicBoolean FAILING = new AtomicBoolean();
    private static HttpServer server;

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    public static class StandIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.queue-limits.management-url", "http://127.0.0.1:" + start());
        }
    }

    private static synchronized int start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", ManagementFiguresTest::answer);
            server.start();
        }
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = "[]";
        int status = 200;
        if (path.equals("/api/queues/%2F")) {
            QUEUE_CALLS.incrementAndGet();
            status = FAILING.get() ? 500 : 200;
            // The type's queue, and 50 others: one answer however many queues there are.
            StringBuilder queues = new StringBuilder("[{\"name\":\"" + Topology.taskQueue(TYPE)
                    + "\",\"messages_ready\":7,\"messages_unacknowledged\":2,\"consumers\":3}");
            for (int i = 0; i < 50; i++) {
                queues.append(",{\"name\":\"conveyor.task.opsload_")
                        .append(i)
                        .append("\",\"messages_ready\":1,\"messages_unacknowledged\":0,\"consumers\":1}");
            }
            body = FAILING.get()
                    ? "{\"reason\":\"stand-in failure\"}"
                    : queues.append(']').toString();
        } else if ("PUT".equals(exchange.getRequestMethod())) {
            status = 204;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @AfterAll
    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @BeforeEach
    void reset() {
        QUEUE_CALLS.set(0);
        FAILING.set(false);
    }

    @Test
    @Order(1)
    void oneManagementCallAnswersEveryQueue() {
        given().get("/api/v1/queues")
                .then()
                .statusCode(200)
                .body("source", equalTo("management"))
                // A queue the broker did not list is unknown.
                .body("queues.find { it.type == 'noop' }.ready", equalTo(-1))
                .body("queues.find { it.type == '" + TYPE + "' }.ready", equalTo(7))
                .body("queues.find { it.type == '" + TYPE + "' }.unacknowledged", equalTo(2))
                .body("queues.find { it.type == '" + TYPE + "' }.consumers", equalTo(3));
        assertEquals(1, QUEUE_CALLS.get());
    }

    /** Last: after a failure the management API is left alone for a while. */
    @Test
    @Order(2)
    void aFailingManagementApiFallsBackToAmqp() {
        FAILING.set(true);
        given().get("/api/v1/queues")
                .then()
                .statusCode(200)
                .body("source", equalTo("amqp"))
                .body("queues.find { it.type == '" + TYPE + "' }.unacknowledged", equalTo(-1))
                .body("queues.find { it.type == '" + TYPE + "' }.ready", equalTo(0));
        assertEquals(1, QUEUE_CALLS.get());
        // Answering again, it is not asked again at once: a slow API must not slow every answer.
        FAILING.set(false);
        given().get("/api/v1/queues").then().statusCode(200).body("source", equalTo("amqp"));
        assertEquals(1, QUEUE_CALLS.get());
    }
}
