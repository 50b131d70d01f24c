package io.conveyor.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;

/**
 * The real Redis the tests run against (REDIS_URL host and port, default localhost:6379, wherever {@link TestServices}
 * found it), through a minimal RESP client so test code needs no framework. Fails loudly when Redis is unreachable.
 */
public final class LocalRedis implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public LocalRedis() {
        this(url());
    }

    /** {@code REDIS_URL} (a system property first, then the environment), default {@code redis://localhost:6379}. */
    public static String url() {
        TestServices.resolve();
        return ServiceSettings.get("REDIS_URL", "redis://localhost:6379");
    }

    /** Host and port of {@link #url()}, without credentials: for messages and logs. */
    static String hostAndPort() {
        return ServiceSettings.get("REDIS_URL", "redis://localhost:6379")
                .replaceFirst("^redis://", "")
                .replaceFirst("^[^@/]*@", "")
                .replaceFirst("/.*$", "");
    }

    /** Redis at {@code url} ({@code redis://host:port[/database]}). */
    public LocalRedis(String url) {
        String hostPort = url.replaceFirst("^redis://", "").replaceFirst("/.*$", "");
        String database = url.matches("^redis://[^/]+/\\d+$") ? url.substring(url.lastIndexOf('/') + 1) : "0";
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 6379;
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 3_000);
            socket.setSoTimeout(5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "The tests need Redis at " + host + ":" + port
                            + " (start it with `redis-server --daemonize yes`, or run `bash .ci/run`; or run the "
                            + "tests with -D" + TestServices.MODE_PROPERTY + "=containers)",
                    e);
        }
        // The database of REDIS_URL (redis://host:port/N), as the apps under test use it.
        call("SELECT", database);
    }

    /** Sends one command; returns a String, Long, List or null as Redis answered. */
    public synchronized Object call(String... command) {
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String part : command) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.write(bytes);
                request.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(request.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A task's stored hash; empty when unknown. */
    @SuppressWarnings("unchecked")
    public Map<String, String> task(String id) {
        List<Object> flat = (List<Object>) call("HGETALL", StateKeys.task(id));
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            hash.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return hash;
    }

    /** Removes tasks' records and index entries, as the state store itself does, and any long-poll marker. */
    public void forget(Iterable<String> ids) {
        for (String id : ids) {
            call("EVAL", Scripts.FORGET, "2", StateKeys.task(id), StateKeys.failures(id));
            call("DEL", StateKeys.waiting(id));
        }
    }

    /**
     * Runs the state store's transition script as a worker would; returns its answer {outcome, previous status, id of
     * a batch whose onComplete task is due or ''}.
     */
    public Object transition(String taskId, Transition transition) {
        List<String> command = new ArrayList<>(
                List.of("EVAL", Scripts.TRANSITION, "2", StateKeys.task(taskId), StateKeys.failures(taskId)));
        command.addAll(transition.arguments());
        // The script answers one {outcome, previous} per task; this call has one task.
        return ((List<?>) call(command.toArray(String[]::new))).get(0);
    }

    /**
     * Records an attempt's progress as a worker's handler reports it (unthrottled); answers 1 when written, 0 when the
     * task was not RUNNING that attempt.
     */
    public long progress(String taskId, int attempt, long done, long total, String message) {
        List<String> command = new ArrayList<>(List.of("EVAL", Scripts.PROGRESS, "1", StateKeys.task(taskId)));
        command.addAll(TaskRecords.progressArguments(attempt, done, total, message, Instant.now()));
        return (Long) call(command.toArray(String[]::new));
    }

    /** Records the task RUNNING, then SUCCEEDED with {@code result} (attempt 1), as a worker that ran it would. */
    public void succeed(String taskId, Object result) {
        transition(taskId, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        transition(
                taskId,
                Transition.to(TaskStatus.SUCCEEDED, Instant.now()).attempts(1).result(result));
    }

    /**
     * Records a batch as the gateway does: its record, then its members QUEUED, each naming the batch. {@code
     * onComplete} (null for none) is published once every member is terminal; {@code client} may be null.
     */
    public void createBatch(String batchId, String client, List<TaskEnvelope> members, TaskEnvelope onComplete) {
        long now = Instant.now().toEpochMilli();
        List<String> command = new ArrayList<>(List.of(
                "EVAL",
                Scripts.BATCH_CREATE,
                "2",
                StateKeys.batch(batchId),
                StateKeys.batchTasks(batchId),
                batchId,
                String.valueOf(now),
                client == null ? "" : client,
                onComplete == null ? "" : onComplete.id(),
                onComplete == null ? "" : onComplete.type(),
                onComplete == null ? "" : String.valueOf(onComplete.maxAttempts()),
                onComplete == null ? "" : TaskRecords.toJson(onComplete),
                ""));
        command.addAll(onComplete == null ? List.of("", "", "") : TaskRecords.keptArguments(onComplete, null));
        members.forEach(m -> command.add(m.id()));
        call(command.toArray(String[]::new));
        List<String> create = new ArrayList<>(List.of("EVAL", Scripts.CREATE, String.valueOf(members.size())));
        members.forEach(m -> create.add(StateKeys.task(m.id())));
        for (TaskEnvelope m : members) {
            // Created now and owned by the batch's client, whatever the envelope says, as the gateway records them.
            TaskEnvelope member =
                    new TaskEnvelope(m.id(), m.type(), m.payload(), m.maxAttempts(), Instant.ofEpochMilli(now), client);
            create.addAll(TaskRecords.createArguments(member, null, null, batchId));
        }
        call(create.toArray(String[]::new));
    }

    /** A batch's stored hash; empty when unknown. */
    @SuppressWarnings("unchecked")
    public Map<String, String> batch(String batchId) {
        List<Object> flat = (List<Object>) call("HGETALL", StateKeys.batch(batchId));
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            hash.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return hash;
    }

    /** Removes a batch's keys (not its members' records: forget those as tasks). */
    public void forgetBatch(String batchId) {
        call(
                "DEL",
                StateKeys.batch(batchId),
                StateKeys.batchTasks(batchId),
                StateKeys.batchDone(batchId),
                StateKeys.batchClaim(batchId),
                StateKeys.waiting(StateKeys.batchEvent(batchId)));
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length);
                readLine();
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IllegalStateException("Unexpected Redis reply type " + (char) type);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.write(b);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a test connection: nothing to recover.
        }
    }
}
