package io.tessera.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one segmentation job. Tessera's own steps call {@link #check()} between units of work; a
 * {@code session.run} in progress is stopped by a watchdog that sets the run's terminate flag at the deadline (ONNX
 * Runtime checks it between graph nodes), so a hung or very slow model cannot hold a device slot past the timeout.
 * Closing the control cancels the watchdog; setting the flag and closing are serialised, so the native run options
 * are never touched after they are freed.
 */
final class JobControl implements AutoCloseable {
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    /** One daemon thread; a cancelled alarm leaves the queue at once rather than at its (minutes away) deadline. */
    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tessera-inference-watchdog");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    private final String model;
    private final RunGate gate;
    private final Duration timeout;
    private final long deadline;
    private final OrtSession.RunOptions runOptions;
    private final ScheduledFuture<?> alarm;
    private volatile boolean expired;
    private boolean closed;

    private JobControl(String model, Duration timeout, RunGate gate) throws OrtException {
        this.model = model;
        this.gate = gate;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.runOptions = new OrtSession.RunOptions();
        this.alarm = WATCHDOG.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the clock for one job of {@code model}; refused with {@link InferenceException#STOPPED} when stopping. */
    static JobControl start(LoadedModel model) throws InferenceException {
        return start(model.name(), model.jobTimeout(), model.runs());
    }

    static JobControl start(String model, Duration timeout, RunGate gate) throws InferenceException {
        JobControl control;
        try {
            control = new JobControl(model, timeout, gate);
        } catch (OrtException e) {
            throw InferenceException.fromRuntime(model, e);
        }
        try {
            gate.enter(control, model);
        } catch (InferenceException e) {
            control.close();
            throw e;
        }
        return control;
    }

    private synchronized void expire() {
        expired = true;
        terminate();
    }

    /** Sets the run's terminate flag (the deadline, or a stopping server); a no-op once the job has ended. */
    synchronized void terminate() {
        if (closed) return;
        try {
            runOptions.setTerminate(true);
        } catch (OrtException ignored) {
            // the job still fails at its next check(); nothing else can be done from the watchdog
        }
    }

    /** Fails with {@link InferenceException#TIMEOUT} once the deadline has passed, or if the thread was interrupted. */
    void check() throws InferenceException {
        if (gate.stopping()) throw RunGate.stopped(model);
        if (expired || System.nanoTime() - deadline > 0) {
            expired = true;
            throw new InferenceException(InferenceException.TIMEOUT + ": model " + model + " did not finish within the job timeout of "
                    + timeout.toMillis() + " ms (inference.jobTimeout)");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InferenceException(InferenceException.INTERRUPTED + ": model " + model + ": job interrupted");
        }
    }

    OrtSession.RunOptions runOptions() {
        return runOptions;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        alarm.cancel(false);
        runOptions.close();
        gate.exit(this);
    }
}
