package io.conveyor.worker;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.conveyor.amqp.BrokerAddress;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.Rabbitmqctl;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worker under test talks to the services the run resolved (test-support's TestServices: local ones or
 * containers), not to whatever listens on the default ports: its settings are the tests' own, and the broker the
 * tests use lists its connection.
 */
@QuarkusTest
class ResolvedServicesTest {

    @ConfigProperty(name = "conveyor.broker.host")
    String brokerHost;

    /** Empty unless RABBITMQ_PORT is set: the port then follows TLS (5672 without). */
    @ConfigProperty(name = "conveyor.broker.port")
    Optional<Integer> brokerPort;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @Test
    void readsTheResolvedSettings() {
        assertEquals(LocalBroker.host(), brokerHost);
        assertEquals(LocalBroker.port(), brokerPort.orElse(BrokerAddress.PORT));
        assertEquals(LocalRedis.url(), redisHosts);
    }

    @Test
    void isConnectedToTheBrokerTheTestsUse() {
        Rabbitmqctl.awaitConnectionOf("conveyor-task-worker");
    }
}
