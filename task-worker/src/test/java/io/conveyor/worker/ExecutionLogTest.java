package io.conveyor.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With CONVEYOR_WORKER_EXECUTION_LOG set, each successful handler run appends {@code <taskId> <attempt> <worker>
 * <epochMillis>} to the file, before its outcome is recorded; failed attempts write nothing.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(ExecutionLogTest.WithExecutionLog.class)
class ExecutionLogTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path LOG = Path.of("target/execution-log-test/executions.log");
    private static final String WORKER = "execution-log-test";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** The side log in a file of this test's own, and a worker name to find in its lines. */
    public static class WithExecutionLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.worker.execution-log", LOG.toString(), "conveyor.worker.name", WORKER);
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @AfterAll
    static void removeTheLog() throws IOException {
        Files.deleteIfExists(LOG);
        Files.deleteIfExists(LOG.getParent());
    }

    @Test
    void appendsOneLinePerSuccessfulRun() throws IOException {
        String first = aTask().ofType("noop").publishTo(services.broker());
        String second = aTask().ofType("noop").publishTo(services.broker());
        outcomes.await(first, TaskStatus.SUCCEEDED, WAIT);
        outcomes.await(second, TaskStatus.SUCCEEDED, WAIT);

        // Written before the outcome: both lines are there once both succeeded.
        assertEquals(List.of(first + " 1 " + WORKER), linesOf(first));
        assertEquals(List.of(second + " 1 " + WORKER), linesOf(second));
    }

    @Test
    void recordsOnlyTheAttemptThatSucceeded() throws IOException {
        String id = aTask().ofType("fail")
                .withPayload("{\"times\":1}")
                .withMaxAttempts(2)
                .publishTo(services.broker());
        outcomes.await(id, TaskStatus.SUCCEEDED, WAIT);

        assertEquals(List.of(id + " 2 " + WORKER), linesOf(id));
    }

    @Test
    void recordsNothingForATaskThatDied() throws IOException {
        String id = aTask().ofType("fail").withPayload("{\"permanent\":true}").publishTo(services.broker());
        outcomes.await(id, TaskStatus.DEAD, WAIT);

        assertEquals(List.of(), linesOf(id));
    }

    private static List<String> linesOf(String taskId) throws IOException {
        if (!Files.exists(LOG)) {
            return List.of();
        }
        return Files.readAllLines(LOG).stream()
                .filter(line -> line.startsWith(taskId + " "))
                // The time it was written, checked and dropped: what is left is compared.
                .map(line -> {
                    String[] fields = line.split(" ");
                    assertEquals(4, fields.length, line);
                    long at = Long.parseLong(fields[3]);
                    assertTrue(Math.abs(System.currentTimeMillis() - at) < 60_000, line);
                    return line.substring(0, line.lastIndexOf(' '));
                })
                .toList();
    }
}
