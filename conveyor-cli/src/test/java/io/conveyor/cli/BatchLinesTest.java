package io.conveyor.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.conveyor.client.BatchTask;
import io.conveyor.model.BatchView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch parts on their own: JSON Lines, the counts, the progress line and the exit code of a batch. */
class BatchLinesTest {

    @Test
    void oneTaskALineBlankLinesSkippedEachTaskKnowingItsLine() {
        BatchLines.Parsed parsed = BatchLines.parse(
                "{\"type\":\"noop\"}\n\n   \r\n{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"},"
                        + "\"options\":{\"maxAttempts\":2,\"delay\":\"30s\",\"priority\":7,"
                        + "\"callbackUrl\":\"https://example.com/h\"}}\r\n"
                        + "{\"type\":\"send_email\",\"payload\":null,\"options\":{}}\n",
                "tasks.jsonl");
        assertEquals(3, parsed.tasks().size());
        assertEquals(List.of(1, 4, 5), parsed.lines());
        BatchTask noop = parsed.tasks().get(0);
        assertEquals("noop", noop.type());
        assertNull(noop.payload());
        BatchTask sleep = parsed.tasks().get(1);
        assertEquals("sleep", sleep.type());
        assertEquals("{\"duration\":\"PT1S\"}", sleep.payload().toString());
        assertEquals(2, sleep.options().maxAttempts());
        assertEquals(Duration.ofSeconds(30), sleep.options().delay());
        assertEquals(7, sleep.options().priority());
        assertEquals("https://example.com/h", sleep.options().callbackUrl());
        assertNull(parsed.tasks().get(2).payload());
        assertEquals(4, parsed.lineOf(1));
        assertNull(parsed.lineOf(-1), "the onComplete task is on no line");
        assertNull(parsed.lineOf(3));
    }

    @Test
    void aBadLineIsNamedByItsNumberCountingBlankLines() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"type\":", "not valid JSON");
        bad.put("[1,2]", "a task is a JSON object");
        bad.put("\"noop\"", "a task is a JSON object");
        bad.put("{\"payload\":{}}", "type is required");
        bad.put("{\"type\":\"  \"}", "type is required");
        bad.put("{\"type\":7}", "type is required");
        bad.put("{\"type\":\"noop\",\"payload\":[1]}", "payload must be a JSON object");
        bad.put("{\"type\":\"noop\",\"priority\":3}", "unknown field priority");
        bad.put("{\"type\":\"noop\",\"options\":{\"retries\":3}}", "unknown field options.retries");
        bad.put("{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"k\"}}", "--key");
        bad.put("{\"type\":\"noop\",\"options\":{\"maxAttempts\":\"3\"}}", "options.maxAttempts must be a whole");
        bad.put("{\"type\":\"noop\",\"options\":{\"priority\":1.5}}", "options.priority must be a whole");
        bad.put("{\"type\":\"noop\",\"options\":{\"delay\":30}}", "options.delay must be a duration");
        bad.put("{\"type\":\"noop\",\"options\":{\"delay\":\"30\"}}", "options.delay: '30' is not a duration");
        bad.put("{\"type\":\"noop\",\"options\":[]}", "options must be a JSON object");
        bad.forEach((line, expected) -> {
            UsageException e = assertThrows(
                    UsageException.class,
                    () -> BatchLines.parse("{\"type\":\"noop\"}\n\n" + line + "\n{\"type\":\"noop\"}", "in.jsonl"),
                    line);
            assertTrue(e.getMessage().startsWith("in.jsonl, line 3: "), e.getMessage());
            assertTrue(e.getMessage().contains(expected), line + " -> " + e.getMessage());
        });
    }

    @Test
    void aFileWithoutATaskIsRefused() {
        for (String empty : List.of("", "\n\n", "  \n\t\n")) {
            UsageException e = assertThrows(UsageException.class, () -> BatchLines.parse(empty, "standard input"));
            assertTrue(e.getMessage().startsWith("standard input holds no task"), e.getMessage());
        }
    }

    private static BatchView view(int size, int remaining, Map<String, Integer> counts) {
        return new BatchView(
                "b-1", size, remaining, remaining == 0, counts, List.of(), Instant.EPOCH, null, null, false);
    }

    @Test
    void countsFollowTheLifecycleAndLeaveOutZeros() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("EXPIRED", 1);
        counts.put("SUCCEEDED", 95);
        counts.put("DEAD", 2);
        counts.put("RUNNING", 0);
        counts.put("QUEUED", 2);
        assertEquals("QUEUED 2  SUCCEEDED 95  DEAD 2  EXPIRED 1", Printer.counts(counts));
        assertEquals("", Printer.counts(Map.of()));
    }

    @Test
    void theProgressLineShowsTasksDoneAndTheCounts() {
        String line = Progress.line(
                view(100, 75, Map.of("QUEUED", 70, "RUNNING", 5, "SUCCEEDED", 25)), Duration.ofSeconds(75), '/');
        assertEquals("/ b-1  [#####...............] 25/100 done  QUEUED 70  RUNNING 5  SUCCEEDED 25  1m15s", line);
        String done = Progress.line(view(2, 0, Map.of("SUCCEEDED", 2)), Duration.ofSeconds(3), '/');
        assertTrue(done.startsWith("  b-1  [####################] 2/2 done"), done);
    }

    @Test
    void aBatchExits0OnlyWhenEveryTaskSucceeded() {
        assertEquals(ExitCodes.OK, ExitCodes.of(view(3, 0, Map.of("SUCCEEDED", 3))));
        assertEquals(ExitCodes.TASK_FAILED, ExitCodes.of(view(3, 0, Map.of("SUCCEEDED", 2, "DEAD", 1))));
        assertEquals(ExitCodes.TASK_FAILED, ExitCodes.of(view(3, 0, Map.of("SUCCEEDED", 2, "CANCELLED", 1))));
        assertEquals(ExitCodes.TASK_FAILED, ExitCodes.of(view(3, 0, Map.of("SUCCEEDED", 2, "EXPIRED", 1))));
        assertEquals(ExitCodes.NOT_FINISHED, ExitCodes.of(view(3, 1, Map.of("SUCCEEDED", 2, "RUNNING", 1))));
    }
}
