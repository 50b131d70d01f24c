package io.conveyor.worker.handler.throwawayecho;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.route.HandlerRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding a task type is a payload record and a handler bean: {@code throwaway_echo}, declared in test sources only,
 * is catalogued, routed to its handler and run end to end through the real broker, its state settled in Redis.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ThrowawayTaskTypeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TYPE = "throwaway_echo";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskCatalogue catalogue;

    @Inject
    HandlerRegistry registry;

    @Inject
    ThrowawayEchoHandler handler;

    @Test
    void catalogueFindsATypeDeclaredOnlyInTestSources() {
        TaskType type = catalogue.find(TYPE).orElseThrow();

        assertEquals(ThrowawayEchoPayload.class, type.payloadClass());
        assertEquals(2, type.maxAttempts());
        assertEquals(Duration.ofSeconds(3), type.timeout());
        assertEquals("conveyor.task." + TYPE, type.queue());
    }

    @Test
    void routesTheTypeToItsHandlerBeanAndConsumesItsQueue() {
        HandlerRegistry.Route route = registry.route(TYPE).orElseThrow();

        assertEquals(ThrowawayEchoPayload.class, route.handler().payloadType());
        assertEquals(Duration.ofSeconds(3), route.timeout());
        await().atMost(WAIT).until(() -> services.broker().consumerCount("conveyor.task." + TYPE) >= 1);
    }

    @Test
    void runsATaskOfTheTypeToSucceededInRedis() {
        String id = services.track(aTask().ofType(TYPE)
                .withPayload("{\"text\":\"hi\",\"times\":3}")
                .publishTo(services.broker()));

        await().atMost(WAIT)
                .until(() -> "SUCCEEDED".equals(services.redis().task(id).get("status")));
        Map<String, String> task = services.redis().task(id);
        assertEquals(TYPE, task.get("type"));
        assertEquals("{\"echo\":\"hihihi\"}", task.get("result"));
        assertTrue(handler.ran().contains(id), "the throwaway handler ran the task");
    }
}
