package io.conveyor.model.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.conveyor.model.BatchView;

/**
 * Batches in the state store (README, "Batches"). A batch is a hash ({@link StateKeys#batch}) with its size, the
 * count of members not yet terminal ({@code remaining}), its owner and its optional onComplete task (envelope and
 * pre-assigned id); a list of member ids; and a set of the members already counted as terminal. Each member's record
 * names its batch, so the transition script keeps the count, exactly once per member, in the same atomic step as the
 * member's own move. Pure.
 */
public final class BatchRecords {

    private BatchRecords() {}

    /** The answer of batch-claim.lua: {@code due} with what to publish, or why there is nothing to do. */
    public record Claim(String state, String envelopeJson, Integer priority) {

        public boolean due() {
            return "due".equals(state);
        }

        public boolean busy() {
            return "busy".equals(state);
        }
    }

    public static Claim claim(List<String> answer) {
        if (answer.isEmpty()) {
            return new Claim("missing", null, null);
        }
        if (!"due".equals(answer.get(0))) {
            return new Claim(answer.get(0), null, null);
        }
        String priority = answer.size() > 2 ? answer.get(2) : "";
        return new Claim("due", answer.get(1), priority.isEmpty() ? null : Integer.valueOf(priority));
    }

    /** Keys of batch-claim.lua and batch-settle.lua. */
    public static List<String> claimKeys(String batchId) {
        return List.of(StateKeys.batch(batchId), StateKeys.batchClaim(batchId));
    }

    /** Keys of batch-read.lua. */
    public static List<String> readKeys(String batchId) {
        return List.of(StateKeys.batch(batchId), StateKeys.batchTasks(batchId));
    }

    /** The view of batch-read.lua's answer; null for an unknown (or expired) batch. */
    public static BatchView view(List<String> answer) {
        if (answer == null || answer.isEmpty()) {
            return null;
        }
        Map<String, String> hash = new HashMap<>();
        int i = 0;
        // Field names never are '|'; values may be anything, so the separator is looked for at names only.
        for (; i + 1 < answer.size() && !"|".equals(answer.get(i)); i += 2) {
            hash.put(answer.get(i), answer.get(i + 1));
        }
        i++;
        List<String> ids = new ArrayList<>();
        for (; i < answer.size() && !"|".equals(answer.get(i)); i++) {
            ids.add(answer.get(i));
        }
        i++;
        Map<String, Integer> counts = new TreeMap<>();
        for (; i + 1 < answer.size(); i += 2) {
            counts.put(answer.get(i), Integer.valueOf(answer.get(i + 1)));
        }
        int remaining = Integer.parseInt(hash.getOrDefault("remaining", "0"));
        String client = hash.get("client");
        return new BatchView(
                hash.get("id"),
                Integer.parseInt(hash.getOrDefault("size", "0")),
                remaining,
                remaining == 0,
                counts,
                ids,
                Instant.ofEpochMilli(Long.parseLong(hash.getOrDefault("createdAt", "0"))),
                client == null || client.isEmpty() ? null : client,
                hash.get("onCompleteId"),
                hash.containsKey("fired"));
    }
}
