package io.tessera.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.core.ModelIdentity;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A validated package with its ONNX Runtime session, built once and shared by all threads; also the device it runs
 * on, that device's job slots and the job timeout, which {@link Segmenter} honours.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelPackage modelPackage;
    private final OrtSession session;
    /** Role → session for multi-file packages ({@code encoder}, {@code decoder}); empty for a single model.onnx. */
    private final java.util.Map<String, OrtSession> roleSessions;
    private final String device;
    private final Semaphore deviceSlots;
    private final Duration jobTimeout;
    private final PatchBuffers.Pool patchBuffers = new PatchBuffers.Pool();
    private final RunGate runs = new RunGate();
    /** How long {@link #close()} waits for terminated runs to return before it gives up closing the session. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** The manifest's patch blending weights, made once (read-only, shared by every job). */
    private volatile float[] blendingWeights;

    LoadedModel(ModelPackage modelPackage, OrtSession session, String device, Semaphore deviceSlots, Duration jobTimeout) {
        this(modelPackage, session, java.util.Map.of(), device, deviceSlots, jobTimeout);
    }

    /** A multi-file package: {@code session} is the first role's, {@code roleSessions} holds every role's (closed together). */
    LoadedModel(ModelPackage modelPackage, OrtSession session, java.util.Map<String, OrtSession> roleSessions, String device,
                Semaphore deviceSlots, Duration jobTimeout) {
        this.modelPackage = modelPackage;
        this.session = session;
        this.roleSessions = java.util.Map.copyOf(roleSessions);
        this.device = device;
        this.deviceSlots = deviceSlots;
        this.jobTimeout = jobTimeout;
    }

    public String name() {
        return modelPackage.name();
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    public ModelManifest manifest() {
        return modelPackage.manifest();
    }

    public ModelIdentity identity() {
        return modelPackage.identity();
    }

    /** Where the session runs: {@code cpu}, or {@code gpu:<id>} for CUDA and TensorRT. */
    public String device() {
        return device;
    }

    /** The ONNX Runtime execution provider the session actually uses (same as {@code identity().provider()}). */
    public String provider() {
        return identity().provider();
    }

    /** A segmentation still running after this fails with TSR-0326. */
    public Duration jobTimeout() {
        return jobTimeout;
    }

    Semaphore deviceSlots() {
        return deviceSlots;
    }

    OrtSession session() {
        return session;
    }

    /** The session of one role of a multi-file package ({@code encoder}, {@code decoder}). */
    OrtSession session(String role) {
        OrtSession s = roleSessions.get(role);
        if (s == null) throw new IllegalArgumentException("model " + name() + " has no role " + role + " (has " + roleSessions.keySet() + ")");
        return s;
    }

    float[] blendingWeights() {
        float[] w = blendingWeights;
        if (w == null) {
            w = BlendingWeights.of(manifest().input().patchZyx(), manifest().input().blending());
            blendingWeights = w;
        }
        return w;
    }

    PatchBuffers.Pool patchBuffers() {
        return patchBuffers;
    }

    RunGate runs() {
        return runs;
    }

    /** Terminates the running jobs (they fail with {@link InferenceException#STOPPED}) and refuses new ones. */
    public void stopJobs() {
        runs.stop();
    }

    /** Waits until no job runs on the session; false if some still do after {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return runs.awaitIdle(timeout);
    }

    /**
     * Stops the jobs and closes the session once none runs. A session still running after {@link #CLOSE_WAIT} is left
     * open (a leak at exit) rather than closed under the run, which would crash the JVM.
     */
    @Override
    public void close() {
        runs.stop();
        try {
            if (!runs.awaitIdle(CLOSE_WAIT)) {
                org.slf4j.LoggerFactory.getLogger(LoadedModel.class).warn(
                        "TSR-0331: model {} still running {} after being stopped; its session is left open", name(), CLOSE_WAIT);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        java.util.Set<OrtSession> all = new java.util.LinkedHashSet<>();
        all.add(session);
        all.addAll(roleSessions.values());
        OrtException failed = null;
        for (OrtSession s : all) {
            try {
                s.close();
            } catch (OrtException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw new IllegalStateException("TSR-0302: closing session of model " + name() + ": " + failed.getMessage(), failed);
        }
    }

    @Override
    public String toString() {
        return "LoadedModel[" + identity().displayName() + " on " + identity().provider() + "]";
    }
}
