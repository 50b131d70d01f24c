package io.conveyor.worker.handler.probe;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;

/**
 * What the probe handlers saw: the thread each task ran on, how many ran at once (and at most), which were
 * interrupted. Holding tasks lets a test look while they run; it opens the gate to let them finish.
 */
@ApplicationScoped
public class ThreadProbe {

    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Map<String, Boolean> onVirtualThread = new ConcurrentHashMap<>();
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();

    public Object run(TaskContext context, boolean hold, boolean forever) throws InterruptedException {
        onVirtualThread.put(context.taskId(), Thread.currentThread().isVirtual());
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            if (forever) {
                new CountDownLatch(1).await();
            } else if (hold) {
                gate.await();
            }
            return Map.of("virtual", Thread.currentThread().isVirtual());
        } catch (InterruptedException e) {
            interrupted.add(context.taskId());
            throw e;
        } finally {
            running.decrementAndGet();
        }
    }

    /** From now on, tasks that hold wait until {@link #open()}; what was seen so far is forgotten. */
    public void close() {
        gate = new CountDownLatch(1);
        peak.set(running.get());
        onVirtualThread.clear();
        interrupted.clear();
    }

    /** Lets every holding task finish. */
    public void open() {
        gate.countDown();
    }

    public int running() {
        return running.get();
    }

    /** Most probe handlers running at once since the last {@link #close()}. */
    public int peak() {
        return peak.get();
    }

    /** Tasks that started, whether on a virtual thread. */
    public Map<String, Boolean> onVirtualThread() {
        return Map.copyOf(onVirtualThread);
    }

    public Set<String> interrupted() {
        return Set.copyOf(interrupted);
    }
}
