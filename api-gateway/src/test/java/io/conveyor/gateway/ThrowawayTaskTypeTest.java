package io.conveyor.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TestOnlyQueues;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding a task type is a payload record: {@code throwaway_greeting}, declared in test sources only, is listed with
 * a typed schema, validated, and routed to a queue of its own.
 */
@QuarkusTest
class ThrowawayTaskTypeTest {

    private static final String TYPE = "throwaway_greeting";
    private static final String QUEUE = Topology.taskQueue(TYPE);
    private static final String ENTRY = "find { it.name == '" + TYPE + "' }.";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Test
    void listsATypeDeclaredOnlyInTestSources() {
        given().when()
                .get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .body(ENTRY + "queue", equalTo(QUEUE))
                .body(
                        ENTRY + "description",
                        equalTo("Test only: greet someone (proves the catalogue discovers new types)"))
                .body(ENTRY + "defaults.maxAttempts", equalTo(2))
                .body(ENTRY + "defaults.timeout", equalTo("PT3S"));
    }

    @Test
    void schemaTypesEachFieldOfTheThrowawayPayload() {
        String schema = ENTRY + "payloadSchema.";
        given().when()
                .get("/api/v1/task-types")
                .then()
                .statusCode(200)
                .body(schema + "required", equalTo(List.of("name")))
                .body(schema + "additionalProperties", equalTo(false))
                .body(schema + "properties.name.type", equalTo("string"))
                .body(schema + "properties.name.minLength", equalTo(1))
                .body(schema + "properties.name.maxLength", equalTo(50))
                .body(schema + "properties.times.type", equalTo("integer"))
                .body(schema + "properties.times.minimum", equalTo(1))
                .body(schema + "properties.times.maximum", equalTo(3))
                .body(schema + "properties.loud.type", equalTo("boolean"))
                .body(schema + "properties.tags.type", equalTo("array"))
                .body(schema + "properties.tags.maxItems", equalTo(5))
                .body(schema + "properties.tags.items.type", equalTo("string"))
                .body(schema + "properties.tags.items.minLength", equalTo(1))
                .body(schema + "properties.pause.type", equalTo("string"))
                .body(schema + "properties.pause.format", equalTo("duration"));
    }

    @Test
    void acceptsATaskOfTheTypeAndRoutesItToItsOwnQueue() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"" + TYPE + "\",\"payload\":{\"name\":\"Ada\",\"tags\":[\"friendly\"]}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .body("type", equalTo(TYPE))
                .extract()
                .path("id");
        services.track(id);

        GetResponse message = services.broker().takeById(QUEUE, id, Duration.ofSeconds(10));
        assertEquals(TYPE, message.getEnvelope().getRoutingKey());
        assertTrue(new String(message.getBody()).contains("\"name\":\"Ada\""), new String(message.getBody()));
    }

    @Test
    void refusesAPayloadThatBreaksTheRecordsConstraints() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"" + TYPE + "\",\"payload\":{\"name\":\" \",\"times\":4,\"pause\":\"PT6S\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("payload.name", "payload.times", "payload.pause"));
        assertEquals(0, services.broker().messageCount(QUEUE));
    }

    @Test
    void theQueueOfATestOnlyTypeIsDeletedWhenTheTestsEnd() throws Exception {
        assertTrue(queueExists(), "declared with the topology");

        new TestOnlyQueues().testPlanExecutionFinished(null);

        assertFalse(queueExists(), QUEUE + " would outlive the test run");
        // This class's other tests publish to it.
        services.broker().declareTopology();
    }

    private static boolean queueExists() throws IOException, TimeoutException {
        // A passive declare of a missing queue closes the channel: use one of our own.
        Channel channel = services.broker().connection().createChannel();
        try {
            channel.queueDeclarePassive(QUEUE);
            return true;
        } catch (IOException missing) {
            return false;
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }
}
