package io.conveyor.testsupport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's CLI reaches the broker the run uses, local or in its container: a broker outage made with
 * {@code stop_app} refuses clients, and {@code start_app} brings the broker back accepting them.
 */
class RabbitmqctlTest {

    @Test
    void stopAppRefusesClientsAndStartAppAcceptsThemAgain() {
        try (LocalBroker before = new LocalBroker()) {
            assertTrue(before.channel().isOpen());
        }
        try {
            Rabbitmqctl.stopApp();
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThrows(IllegalStateException.class, LocalBroker::new));
        } finally {
            Rabbitmqctl.startApp();
        }
        try (LocalBroker after = new LocalBroker()) {
            assertTrue(after.channel().isOpen());
        }
    }

    @Test
    void listsTheConnectionsOfTheBrokerTheTestsUse() {
        try (LocalBroker broker = new LocalBroker()) {
            String connections =
                    Rabbitmqctl.run("list_connections", "--quiet", "--no-table-headers", "client_properties");
            assertTrue(connections.contains("conveyor-tests"), connections);
        }
    }
}
