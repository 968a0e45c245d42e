package io.tessera.inference;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs running on one model's session. A stopping server {@link #stop() stops} them: every running job is
 * terminated (ONNX Runtime's terminate flag, checked between graph nodes) and fails with
 * {@link InferenceException#STOPPED} at its next check, and no new job starts. The session is closed only once
 * {@link #awaitIdle(Duration) none is left}: closing a session (or ONNX Runtime's environment) under a run crashes
 * the JVM.
 */
final class RunGate {
    private final Set<JobControl> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Registers a starting job; refused once stopping. */
    void enter(JobControl job, String model) throws InferenceException {
        live.add(job);
        if (stopping) {
            exit(job);
            throw stopped(model);
        }
    }

    void exit(JobControl job) {
        live.remove(job);
        synchronized (this) {
            notifyAll();
        }
    }

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
        live.forEach(JobControl::terminate);
    }

    /** Waits until no job is running; false if some still are after {@code timeout}. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    static InferenceException stopped(String model) {
        return new InferenceException(InferenceException.STOPPED + ": model " + model
                + ": stopped because the server is shutting down; the study is handed back and runs again at the next start");
    }
}
