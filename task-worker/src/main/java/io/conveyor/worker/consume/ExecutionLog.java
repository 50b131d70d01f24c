package io.conveyor.worker.consume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;

/**
 * The side log of executions ({@code CONVEYOR_WORKER_EXECUTION_LOG}, off by default): one line {@code <taskId>
 * <attempt> <worker> <epochMillis>} for every handler run that returned successfully, appended before its outcome
 * is written and its message acknowledged. A chaos run (chaos/run.sh) counts the ids written more than once: the
 * executions at-least-once delivery repeated.
 *
 * <p>The file is opened once in append mode and each line goes out in one {@code write}, so the lines of several
 * workers appending to one file do not interleave, and a line written is in the operating system's hands: a killed
 * process loses none (no fsync: a machine crash may).
 */
@ApplicationScoped
public class ExecutionLog {

    private static final Logger LOG = Logger.getLogger(ExecutionLog.class);

    private final FileChannel file;
    private final String worker;

    public ExecutionLog(WorkerConfig config, WorkerIdentity identity) throws IOException {
        this.worker = identity.name().replace(' ', '_');
        this.file = config.worker().executionLog().isPresent()
                ? open(config.worker().executionLog().get())
                : null;
    }

    private static FileChannel open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        LOG.infof("Recording every successful execution in %s", path.toAbsolutePath());
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Appends the line of a successful run of {@code taskId}'s attempt {@code attempt}; a no-op when off. */
    void succeeded(String taskId, int attempt) {
        if (file == null) {
            return;
        }
        ByteBuffer line =
                ByteBuffer.wrap((taskId + " " + attempt + " " + worker + " " + System.currentTimeMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        try {
            while (line.hasRemaining()) {
                file.write(line);
            }
        } catch (IOException e) {
            // The task's outcome does not depend on the side log: it goes on, the line is reported missing here.
            LOG.errorf("Could not append task %s attempt %d to the execution log: %s", taskId, attempt, e);
        }
    }

    @PreDestroy
    void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
