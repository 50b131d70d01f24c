package io.conveyor.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.model.Json;
import io.conveyor.model.Topology;

/**
 * The policy that bounds one task queue: {@code conveyor-limit-<type>}, matching exactly {@code conveyor.task.<type>},
 * with {@code max-length} and {@code overflow: reject-publish}, so a full queue nacks new messages instead of
 * dropping its oldest ones (the default, {@code drop-head}). Both keys are valid for quorum queues on RabbitMQ 3.10
 * and 4.x.
 */
record LimitPolicy(String type, long maxLength, int priority) {

    static final String OVERFLOW = "reject-publish";
    /** Every kind of queue: a task queue is a quorum queue, but {@code quorum_queues} does not exist before 4.x. */
    static final String APPLY_TO = "queues";

    String name() {
        return Topology.limitPolicy(type);
    }

    String queue() {
        return Topology.taskQueue(type);
    }

    /** A regular expression that matches the queue's name and nothing else. */
    String pattern() {
        StringBuilder pattern = new StringBuilder("^");
        for (char c : queue().toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('$').toString();
    }

    /** The body of {@code PUT /api/policies/{vhost}/{name}}. */
    ObjectNode body() {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("pattern", pattern());
        body.putObject("definition").put("max-length", maxLength).put("overflow", OVERFLOW);
        body.put("priority", priority);
        body.put("apply-to", APPLY_TO);
        return body;
    }

    /** Whether {@code existing}, a policy as the management API lists it, is this policy already. */
    boolean isSetAs(JsonNode existing) {
        JsonNode definition = existing.path("definition");
        return name().equals(existing.path("name").asText())
                && pattern().equals(existing.path("pattern").asText())
                && APPLY_TO.equals(existing.path("apply-to").asText())
                && existing.path("priority").isIntegralNumber()
                && priority == existing.path("priority").asLong()
                && definition.size() == 2
                && definition.path("max-length").isIntegralNumber()
                && maxLength == definition.path("max-length").asLong()
                && OVERFLOW.equals(definition.path("overflow").asText());
    }
}
