package io.conveyor.model.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.conveyor.model.Digests;

/** The state store's Lua scripts, shipped as resources of this jar so both apps run the very same code. */
public final class Scripts {

    /**
     * Creates tasks' records with their indexes, unless they exist, and counts each created one in its minute's
     * accepted tasks: one key and {@value #CREATE_ARGS} arguments ({@link TaskRecords#createArguments}) per task.
     */
    public static final String CREATE = load("create.lua");

    public static final int CREATE_ARGS = 13;
    /**
     * Moves tasks to new states where their current states allow it; updates indexes, expiry, and notifies. Two keys
     * (the task's hash, its failures list) and {@value #TRANSITION_ARGS} arguments ({@link Transition#arguments()})
     * per task; one {outcome, previous status, batch due} answer per task (see the script on batches). A move to a
     * terminal state from a non-terminal one also counts in its minute's finished tasks.
     */
    public static final String TRANSITION = load("transition.lua");

    public static final int TRANSITION_ARGS = 15;
    /**
     * Records a running attempt's progress, only while the task is RUNNING that attempt (never on a finished,
     * retried, cancelled or expired task). One key (the task's hash) and the arguments of {@link
     * TaskRecords#progressArguments}; answers 1 when written, 0 when not.
     */
    public static final String PROGRESS = load("progress.lua");

    /** Creates a batch's record and member list (see {@link BatchRecords}). */
    public static final String BATCH_CREATE = load("batch-create.lua");

    /** Claims the publish of a done batch's onComplete task (see {@link BatchRecords}). */
    public static final String BATCH_CLAIM = load("batch-claim.lua");

    /** Marks a claimed onComplete task published, or releases the claim after a failed publish. */
    public static final String BATCH_SETTLE = load("batch-settle.lua");

    /** Reads a batch's record, members and counts per status. */
    public static final String BATCH_READ = load("batch-read.lua");

    /** Removes a task's record and its index entries. */
    public static final String FORGET = load("forget.lua");

    /** Records where a task's webhook stands, on an existing record only (see {@code io.conveyor.webhook.WebhookState}). */
    public static final String WEBHOOK = load("webhook.lua");

    private Scripts() {}

    private static final Map<String, String> SHAS = new ConcurrentHashMap<>();

    /**
     * The arguments of {@code EVALSHA} for a script: its SHA-1, the key count, the keys, then the arguments. Redis
     * forgets scripts on restart: on NOSCRIPT, send {@link #eval} of the same call once.
     */
    public static String[] evalsha(String script, List<String> keys, List<String> args) {
        String[] command = new String[2 + keys.size() + args.size()];
        command[0] = SHAS.computeIfAbsent(script, Scripts::sha);
        command[1] = String.valueOf(keys.size());
        int i = 2;
        for (String key : keys) {
            command[i++] = key;
        }
        for (String arg : args) {
            command[i++] = arg;
        }
        return command;
    }

    /** The arguments of {@code EVAL} for the same call as {@code evalsha}: the script itself instead of its SHA-1. */
    public static String[] eval(String script, String[] evalsha) {
        String[] command = evalsha.clone();
        command[0] = script;
        return command;
    }

    /** The SHA-1 Redis knows a script by: {@code EVALSHA} it, and {@code EVAL} it once when Redis answers NOSCRIPT. */
    public static String sha(String script) {
        return Digests.sha1(script);
    }

    /** True for Redis's answer to EVALSHA of a script it does not hold (after a restart or SCRIPT FLUSH). */
    public static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static String load(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream("/io/conveyor/state/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
