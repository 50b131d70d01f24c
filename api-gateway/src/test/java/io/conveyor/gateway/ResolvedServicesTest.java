package io.conveyor.gateway;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.amqp.BrokerAddress;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalManagement;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.Rabbitmqctl;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway under test talks to the services the run resolved (test-support's TestServices: local ones or
 * containers), not to whatever listens on the default ports: its settings are the tests' own, the broker the tests
 * use lists its connection, and the Redis they read holds the record of a task it accepted.
 */
@QuarkusTest
class ResolvedServicesTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @ConfigProperty(name = "conveyor.broker.host")
    String brokerHost;

    /** Empty unless RABBITMQ_PORT is set: the port then follows TLS (5672 without). */
    @ConfigProperty(name = "conveyor.broker.port")
    Optional<Integer> brokerPort;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @ConfigProperty(name = "conveyor.queue-limits.management-url")
    Optional<String> managementUrl;

    @Test
    void readsTheResolvedSettings() {
        assertEquals(LocalBroker.host(), brokerHost);
        assertEquals(LocalBroker.port(), brokerPort.orElse(BrokerAddress.PORT));
        assertEquals(LocalRedis.url(), redisHosts);
        // Unset, the gateway derives http://<RABBITMQ_HOST>:15672, as LocalManagement does.
        assertEquals(LocalManagement.url(), managementUrl.orElse("http://" + brokerHost + ":15672"));
    }

    @Test
    void isConnectedToTheBrokerTheTestsUse() {
        Rabbitmqctl.awaitConnectionOf("conveyor-api-gateway");
    }

    @Test
    void recordsTasksInTheRedisTheTestsUse() {
        String id = Submissions.accepted("{\"type\":\"noop\"}");
        services.track(id);
        assertFalse(services.redis().task(id).isEmpty(), "the task's record is in the tests' Redis");
        assertTrue(services.broker().messageCount(Topology.taskQueue("noop")) >= 1, "the task is in the tests' broker");
    }
}
