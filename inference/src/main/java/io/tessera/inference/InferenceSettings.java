package io.tessera.inference;

import io.tessera.config.InferenceConfig;
import java.time.Duration;
import java.util.List;

/**
 * How sessions are built and jobs are run. {@code providers} are tried in order ({@code tensorrt}, {@code cuda},
 * {@code cpu}); one that cannot be used is skipped with a log line naming it and the reason, and CPU is the last
 * resort even when not listed. Thread counts of 0 let ONNX Runtime choose. {@code tensorrtCacheDir} (null or blank:
 * none) and {@code tensorrtFp16} configure TensorRT. At most {@code jobsPerDevice} segmentations run at once on
 * one device (the CPU, or one GPU), and each fails with TSR-0326 after {@code jobTimeout}.
 */
public record InferenceSettings(List<String> providers, int intraOpThreads, int interOpThreads, int deviceId,
                                String tensorrtCacheDir, boolean tensorrtFp16, int jobsPerDevice, Duration jobTimeout) {
    public static final int DEFAULT_JOBS_PER_DEVICE = 2;
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(10);

    public InferenceSettings {
        providers = List.copyOf(providers);
        if (intraOpThreads < 0 || interOpThreads < 0 || deviceId < 0) throw new IllegalArgumentException("negative setting");
        for (String p : providers) {
            if (!List.of("cpu", "cuda", "tensorrt").contains(p)) throw new IllegalArgumentException("unknown provider " + p);
        }
        if (jobsPerDevice < 1) throw new IllegalArgumentException("jobsPerDevice must be at least 1");
        if (jobTimeout == null || jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("jobTimeout must be positive");
        }
        tensorrtCacheDir = tensorrtCacheDir == null || tensorrtCacheDir.isBlank() ? null : tensorrtCacheDir;
    }

    /** Providers, threads and device; no TensorRT cache, fp32, default job limits. */
    public InferenceSettings(List<String> providers, int intraOpThreads, int interOpThreads, int deviceId) {
        this(providers, intraOpThreads, interOpThreads, deviceId, null, false, DEFAULT_JOBS_PER_DEVICE, DEFAULT_JOB_TIMEOUT);
    }

    /** The {@code inference} section of tessera.yaml. */
    public static InferenceSettings of(InferenceConfig c) {
        return new InferenceSettings(c.providers(), c.intraOpThreads(), c.interOpThreads(), c.deviceId(), c.tensorrtCacheDir(),
                c.tensorrtFp16(), c.jobsPerDevice(), c.jobTimeout());
    }

    public static InferenceSettings cpu() {
        return new InferenceSettings(List.of("cpu"), 0, 1, 0);
    }

    public InferenceSettings withJobTimeout(Duration timeout) {
        return new InferenceSettings(providers, intraOpThreads, interOpThreads, deviceId, tensorrtCacheDir, tensorrtFp16,
                jobsPerDevice, timeout);
    }

    public InferenceSettings withJobsPerDevice(int jobs) {
        return new InferenceSettings(providers, intraOpThreads, interOpThreads, deviceId, tensorrtCacheDir, tensorrtFp16,
                jobs, jobTimeout);
    }

    /** The device a session on {@code provider} runs on: {@code cpu}, or {@code gpu:<deviceId>} for CUDA and TensorRT. */
    String deviceFor(String provider) {
        return "cpu".equals(provider) ? "cpu" : "gpu:" + deviceId;
    }
}
