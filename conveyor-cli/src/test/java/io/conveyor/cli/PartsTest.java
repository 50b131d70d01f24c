package io.conveyor.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conveyor.client.ConflictException;
import io.conveyor.client.ConveyorException;
import io.conveyor.client.InvalidTaskException;
import io.conveyor.client.Problem;
import io.conveyor.client.TaskNotFoundException;
import io.conveyor.client.UnauthorizedException;
import io.conveyor.client.UnavailableException;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's parts on their own: durations, payloads, exit codes, the human layout and the progress line. */
class PartsTest {

    @Test
    void durationsTakeUnitsOrIsoAndRefuseBareNumbers() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S"));
        for (String bad : List.of("30", "", "5 m", "m5", "1x", "PTX", "99999999999s", "1h 30m")) {
            assertThrows(CommandLine.TypeConversionException.class, () -> Durations.parse(bad), bad);
        }
    }

    @Test
    void aPayloadIsJsonTextAFileOrStandardInput() {
        assertEquals(2, Payloads.read("{\"a\":2}", null).path("a").asInt());
        assertEquals(
                "x",
                Payloads.read("@-", new ByteArrayInputStream("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                        .path("a")
                        .asText());
        UsageException empty = assertThrows(UsageException.class, () -> Payloads.read("  ", null));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        UsageException bad = assertThrows(UsageException.class, () -> Payloads.read("{\"a\":}", null));
        assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());
    }

    @Test
    void exitCodesByOutcomeAndByAnswer() {
        assertEquals(0, ExitCodes.of(TaskStatus.SUCCEEDED));
        assertEquals(1, ExitCodes.of(TaskStatus.DEAD));
        assertEquals(1, ExitCodes.of(TaskStatus.CANCELLED));
        assertEquals(7, ExitCodes.of(TaskStatus.RETRY_SCHEDULED));
        assertEquals(2, ExitCodes.of(new InvalidTaskException(problem(422), null, null)));
        assertEquals(3, ExitCodes.of(new UnavailableException(problem(0), null, null)));
        assertEquals(4, ExitCodes.of(new TaskNotFoundException(problem(404), null, null)));
        assertEquals(4, ExitCodes.of(new ConveyorException(problem(404))));
        assertEquals(5, ExitCodes.of(new UnauthorizedException(problem(403), null, null)));
        assertEquals(6, ExitCodes.of(new ConflictException(problem(409), null, null)));
        assertEquals(6, ExitCodes.of(new ConveyorException(problem(413))));
    }

    @Test
    void aViewForPeopleSkipsEmptyFieldsAndShowsTheError() {
        Instant at = Instant.parse("2026-01-01T10:00:00.789Z");
        TaskView view = new TaskView(
                "id-1",
                "send_email",
                TaskStatus.DEAD,
                3,
                3,
                null,
                new TaskError("IllegalStateException", "no such mailbox", 3, at, "worker-1", null),
                at,
                at,
                null,
                null,
                null,
                null,
                new TaskProgress(2, 5L, "sent 2 of 5", at),
                null,
                null,
                null);
        StringWriter out = new StringWriter();
        new Printer(new PrintWriter(out, true), Output.TABLE).view(view);
        String text = out.toString();
        assertTrue(text.startsWith("id:       id-1\n"), text);
        assertTrue(text.contains("attempts: 3/3\n"), text);
        assertTrue(text.contains("created:  2026-01-01T10:00:00Z\n"), text);
        assertTrue(
                text.contains("error:    IllegalStateException: no such mailbox (attempt 3, worker worker-1)"), text);
        assertTrue(text.contains("progress: 2/5 (40%) sent 2 of 5\n"), text);
        assertFalse(text.contains("result"), text);
        assertFalse(text.contains("next attempt"), text);
    }

    @Test
    void theProgressLineShowsWhatTheTaskReports() {
        Instant at = Instant.parse("2026-01-01T10:00:00Z");
        TaskView running = new TaskView(
                "id-1",
                "sleep",
                TaskStatus.RUNNING,
                1,
                3,
                null,
                null,
                at,
                at,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals("/ id-1  RUNNING  attempt 1/3  1m05s", Progress.line(running, Duration.ofSeconds(65), '/'));
        TaskView reported = new TaskView(
                "id-1",
                "sleep",
                TaskStatus.RUNNING,
                1,
                3,
                null,
                null,
                at,
                at,
                null,
                null,
                null,
                null,
                new TaskProgress(9, 20L, "slept 9 of 20 s", at),
                null,
                null,
                null);
        assertEquals(
                "/ id-1  RUNNING  attempt 1/3  [#########...........] 45%  slept 9 of 20 s  1m05s",
                Progress.line(reported, Duration.ofSeconds(65), '/'));
        assertEquals(
                100.0, Progress.percent(new TaskProgress(30, 20L, null, at)).getAsDouble(), "clamped");
        assertTrue(Progress.percent(new TaskProgress(30, null, null, at)).isEmpty(), "unknown total");
        assertEquals("30 done rows", Printer.progress(new TaskProgress(30, null, "rows", at)));
        assertEquals("[#########...........] 45%", Progress.bar(45));
        assertEquals("12s", Progress.elapsed(Duration.ofMillis(12_900)));
    }

    @Test
    void noQuarkusAndNoBrokerClientOnTheClassPath() {
        for (String absent : List.of(
                "io.quarkus.runtime.Quarkus", "com.rabbitmq.client.ConnectionFactory", "io.netty.channel.Channel")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent + " is on the class path");
        }
    }

    private static Problem problem(int status) {
        return new Problem("urn:conveyor:problem:x", "T", status, "D", List.of());
    }
}
