package io.conveyor.worker.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link TaskLimits#admit} decided for one attempt: run it (holding a token and maybe a slot until
 * {@link #close()}), or send it back to wait for {@link #hop()} because of {@link #reason()}. Closing is idempotent
 * and never throws; a type without limits gets {@link #UNLIMITED}, which holds nothing.
 */
public final class Permit implements AutoCloseable {

    /** Admitted without holding anything: an unlimited type, a finished task, or Redis not answering. */
    public static final Permit UNLIMITED = new Permit(null, null, null, null, null);

    private final TaskLimits limits;
    private final TypeLimit limit;
    private final String member;
    private final Duration hop;
    private final String reason;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean unused;

    Permit(TaskLimits limits, TypeLimit limit, String member, Duration hop, String reason) {
        this.limits = limits;
        this.limit = limit;
        this.member = member;
        this.hop = hop;
        this.reason = reason;
    }

    /** True when the attempt must not run now: it goes back to a retry tier for {@link #hop()}. */
    public boolean refused() {
        return hop != null;
    }

    /** How long a refused attempt waits: a retry tier. */
    public Duration hop() {
        return hop;
    }

    /** Why it was refused: {@code rate-limit} or {@code max-running}. */
    public String reason() {
        return reason;
    }

    /** The attempt will not run after all (its task is finished): its token goes back with the slot. */
    public void unused() {
        unused = true;
    }

    /** Frees the attempt's slot (and gives its token back if {@link #unused()}); later calls do nothing. */
    @Override
    public void close() {
        if (limits != null && !refused() && closed.compareAndSet(false, true)) {
            limits.release(limit, member, unused);
        }
    }
}
