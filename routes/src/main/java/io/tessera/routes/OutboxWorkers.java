package io.tessera.routes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker at a time per destination, on a pool shared by all destinations: a destination that hangs (a PACS that
 * accepts and never answers, until its read timeout) holds only its own worker, never another destination's sends.
 * A destination never has two sends at once, so its entries go out in order; the pool grows with the number of
 * destinations that are busy at once, which the configuration bounds. Threads are daemons: a send stuck in a socket
 * read cannot keep the JVM from exiting, and its entry stays PENDING in the store for the next start.
 */
final class OutboxWorkers {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorkers.class);
    private final ExecutorService pool;
    private final Map<String, Semaphore> busy = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    OutboxWorkers() {
        this(Executors.newCachedThreadPool(daemons()));
    }

    OutboxWorkers(ExecutorService pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} for {@code destination} on a worker, unless that destination's worker is still busy or the
     * workers are stopping; returns true if it was started. Never blocks.
     */
    boolean start(String destination, IntSupplier work) {
        if (stopping) return false;
        Semaphore s = busy.computeIfAbsent(destination, d -> new Semaphore(1));
        if (!s.tryAcquire()) return false;
        try {
            pool.execute(() -> {
                Thread.currentThread().setName("outbox-" + destination);
                try {
                    work.getAsInt();
                } catch (RuntimeException e) {
                    // the store failed (e.g. its database is closing): the entries stay as they were for the next round
                    log.error("TSR-0718: outbox worker for destination '{}' failed: {}", destination, e.toString());
                } finally {
                    s.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            s.release();
            return false;
        }
    }

    /** Runs {@code work} on the caller's thread once no worker of {@code destination} is busy; 0 when stopping. */
    int runHere(String destination, IntSupplier work) {
        if (stopping) return 0;
        Semaphore s = busy.computeIfAbsent(destination, d -> new Semaphore(1));
        s.acquireUninterruptibly();
        try {
            return work.getAsInt();
        } finally {
            s.release();
        }
    }

    /** True once {@link #stop} was called: a worker takes no further entry. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Starts no new worker and waits up to {@code grace} for the busy ones; true if all finished. Past the grace the
     * workers are interrupted and left to end on their own (a socket read ends at its timeout), unwaited.
     */
    boolean stop(Duration grace) {
        stopping = true;
        pool.shutdown();
        try {
            if (pool.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        return false;
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "outbox-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
