package io.conveyor.gateway.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.conveyor.amqp.BrokerConnector;
import io.conveyor.amqp.BrokerSettings;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.Rabbitmqctl;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector's first-connect retry when the broker answers but the app's {@code onConnect} step fails (here a
 * passive declare of a queue that does not exist, as a topology mismatch fails): every failed attempt's connection
 * is closed, so the broker ends with the one connection that succeeded. A plain test of common-model's
 * {@link BrokerConnector}, kept here because common-model cannot use test-support (which depends on it).
 */
class BrokerConnectorRetryTest {

    private static final int FAILING_ATTEMPTS = 3;

    @Test
    void closesTheConnectionOfEveryFailedAttempt() {
        String name = "conveyor-test-connector-" + UUID.randomUUID();
        String absentQueue = "conveyor-test-absent-" + UUID.randomUUID();
        List<Connection> offered = new CopyOnWriteArrayList<>();
        BrokerConnector connector = new BrokerConnector(new BrokerSettings(
                LocalBroker.host(),
                LocalBroker.port(),
                LocalBroker.username(),
                LocalBroker.password(),
                LocalBroker.virtualHost(),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                name));
        try {
            connector.start(connection -> {
                offered.add(connection);
                if (offered.size() <= FAILING_ATTEMPTS) {
                    // The broker refuses it (404 NOT_FOUND closes the channel), as it refuses a mismatched declare.
                    try (Channel channel = connection.createChannel()) {
                        channel.queueDeclarePassive(absentQueue);
                    } catch (IOException | TimeoutException e) {
                        throw new UncheckedIOException(new IOException("Declaring the topology failed", e));
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(connector::isOpen);
            assertEquals(FAILING_ATTEMPTS + 1, offered.size(), "attempts made");

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> brokerConnectionsNamed(name), equalTo(1L));
            for (Connection failed : offered.subList(0, FAILING_ATTEMPTS)) {
                assertFalse(failed.isOpen(), "a failed attempt's connection is still open");
            }
            assertTrue(offered.get(FAILING_ATTEMPTS).isOpen(), "the successful attempt's connection is kept");
        } finally {
            connector.close();
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> brokerConnectionsNamed(name), equalTo(0L));
    }

    /** Connections the broker itself lists with this client-provided connection name. */
    private static long brokerConnectionsNamed(String name) {
        return Rabbitmqctl.run("list_connections", "--quiet", "--no-table-headers", "client_properties")
                .lines()
                .filter(line -> line.contains(name))
                .count();
    }
}
