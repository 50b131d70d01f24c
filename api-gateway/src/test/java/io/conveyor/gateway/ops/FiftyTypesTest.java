package io.conveyor.gateway.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The figures of 50 task types cost one Redis round trip: the batch holds a fixed 32 requests plus two per type,
 * and its answers are each type's own. Timings are printed for the record, never asserted (they would flake).
 */
@QuarkusTest
class FiftyTypesTest {

    private static final int TYPES = 50;

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    StateFigures state;

    @Inject
    BrokerFigures broker;

    private static List<String> types() {
        return IntStream.range(0, TYPES).mapToObj(i -> "opsload_" + i).toList();
    }

    @Test
    void fiftyTypesAreReadFromRedisInOneBatch() {
        List<String> types = types();
        Instant now = Instant.now();
        long minute = OpsKeys.epochMinute(now);
        assertEquals(
                2 * TYPES + 2 * OpsKeys.STATS_MINUTES + 2,
                StateFigures.requests(types, now).size());
        try {
            for (int i = 0; i < TYPES; i++) {
                services.redis().call("ZADD", StateKeys.index(TaskStatus.DEAD, types.get(i)), "1", "ops-load");
                services.redis().call("HSET", OpsKeys.accepted(minute), types.get(i), String.valueOf(i));
            }
            long started = System.nanoTime();
            StateFigures.Snapshot snapshot =
                    state.read(types, Instant.now()).await().atMost(Duration.ofSeconds(5));
            System.out.printf("Redis figures of %d types: %.1f ms%n", TYPES, (System.nanoTime() - started) / 1e6);
            for (int i = 0; i < TYPES; i++) {
                StateFigures.Figures figures = snapshot.byType().get(types.get(i));
                assertEquals(1, figures.dead());
                assertEquals(0, figures.retrying());
                assertEquals(
                        i,
                        figures.accepted().stream().mapToLong(Long::longValue).sum());
                assertEquals(-1, figures.oldestDueMillis());
            }
        } finally {
            for (String type : types) {
                services.redis().call("ZREM", StateKeys.index(TaskStatus.DEAD, type), "ops-load");
                services.redis().call("HDEL", OpsKeys.accepted(minute), type);
            }
        }
    }

    /** Over AMQP each queue is one passive declare: printed, to show it stays well under a second for 50. */
    @Test
    void fiftyQueuesOverAmqpForTheRecord() throws Exception {
        List<String> types = types();
        Channel channel = services.broker().connection().createChannel();
        try {
            for (String type : types) {
                channel.queueDeclare(Topology.taskQueue(type), false, false, true, Map.of());
            }
            // The AMQP path itself, whether or not this broker's management API answers (then counts() uses it).
            long started = System.nanoTime();
            Map<String, BrokerFigures.Counts> counts = broker.fromAmqp(types);
            System.out.printf("AMQP counts of %d queues: %.1f ms%n", TYPES, (System.nanoTime() - started) / 1e6);
            List<Integer> consumers = new ArrayList<>();
            types.forEach(type -> consumers.add(counts.get(type).consumers()));
            assertEquals(List.of(0), consumers.stream().distinct().toList());
        } finally {
            for (String type : types) {
                channel.queueDelete(Topology.taskQueue(type));
            }
            channel.close();
        }
    }
}
