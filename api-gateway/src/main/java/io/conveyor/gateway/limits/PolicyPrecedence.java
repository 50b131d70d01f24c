package io.conveyor.gateway.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Topology;

/**
 * What other policies of the virtual host do to the limit policies. RabbitMQ applies at most one policy to a queue,
 * the matching one of highest priority (equal priorities: any of them), so a policy of an operator's that also
 * matches a task queue either replaces the limit there or is replaced by it. Neither may pass silently: this finds
 * both, and which queues are left unbounded. Operator policies ({@code set_operator_policy}) are merged with ours
 * instead, the lower {@code max-length} winning, and are not looked at.
 */
final class PolicyPrecedence {

    private static final Set<String> APPLY_TO_QUEUES = Set.of("queues", "all", "quorum_queues");

    /** Lines to log ({@code notes} at info), and the task queues another policy may leave without a limit. */
    record Report(List<String> notes, List<String> warnings, Set<String> unbounded) {}

    private PolicyPrecedence() {}

    static Report check(List<LimitPolicy> ours, JsonNode existing) {
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> unbounded = new TreeSet<>();
        for (JsonNode other : existing) {
            String name = other.path("name").asText();
            Pattern pattern = patternOf(other);
            if (name.startsWith(Topology.LIMIT_POLICY_PREFIX) || pattern == null) {
                continue;
            }
            long priority = other.path("priority").asLong();
            List<LimitPolicy> matched =
                    ours.stream().filter(p -> pattern.matcher(p.queue()).find()).toList();
            if (matched.isEmpty()) {
                continue;
            }
            int ourPriority = matched.get(0).priority();
            String queues =
                    String.join(", ", matched.stream().map(LimitPolicy::queue).toList());
            String which = "RabbitMQ policy '" + name + "' (priority " + priority + ") matches " + queues;
            if (priority < ourPriority) {
                warnings.add(which + ", where Conveyor's limit policies (priority " + ourPriority
                        + ") replace it: RabbitMQ applies one policy a queue, so its definition "
                        + other.path("definition") + " is not in effect there. To keep it, give it a higher priority"
                        + " and add max-length and overflow reject-publish to it.");
            } else if (setsALimit(other.path("definition"))) {
                notes.add(which + " with a priority not below Conveyor's limit policies (" + ourPriority
                        + "): where it applies, its own limit is in effect, " + other.path("definition") + ".");
            } else {
                matched.forEach(p -> unbounded.add(p.queue()));
                warnings.add(which
                        + (priority == ourPriority
                                ? " with the same priority as Conveyor's limit policies, so RabbitMQ applies either"
                                : " and overrules Conveyor's limit policies (priority " + ourPriority + ")")
                        + ": these queues may have no length limit. Give it a priority below " + ourPriority
                        + ", or add max-length and overflow reject-publish to it.");
            }
        }
        return new Report(notes, warnings, unbounded);
    }

    /** The policy's pattern when it applies to queues and Java reads it as RabbitMQ does; null otherwise. */
    private static Pattern patternOf(JsonNode policy) {
        if (!APPLY_TO_QUEUES.contains(policy.path("apply-to").asText("all"))) {
            return null;
        }
        try {
            return Pattern.compile(policy.path("pattern").asText());
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    /** A definition that bounds a queue and refuses what does not fit, as ours does. */
    private static boolean setsALimit(JsonNode definition) {
        return (definition.has("max-length") || definition.has("max-length-bytes"))
                && LimitPolicy.OVERFLOW.equals(definition.path("overflow").asText());
    }
}
