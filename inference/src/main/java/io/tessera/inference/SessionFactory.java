package io.tessera.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one {@link OrtSession} for a model, trying the configured execution providers in order. A provider that
 * this ONNX Runtime build does not contain (the CPU artifact has neither CUDA nor TensorRT: build with {@code -Pgpu})
 * is skipped before trying; one that is built in but fails to start (no GPU, driver or library missing) is skipped
 * with ONNX Runtime's own reason. Either way one TSR-0310 warning names the provider and the reason.
 *
 * <p>A TensorRT session also registers CUDA on the same device, so operators TensorRT cannot take run on the GPU
 * rather than falling through to the CPU (ONNX Runtime's recommended pairing).
 */
final class SessionFactory {
    private static final Logger log = LoggerFactory.getLogger(SessionFactory.class);

    record Built(OrtSession session, String provider) {}

    private final OrtEnvironment env;
    private final InferenceSettings settings;
    private final EnumSet<OrtProvider> available;

    SessionFactory(OrtEnvironment env, InferenceSettings settings) {
        this(env, settings, OrtEnvironment.getAvailableProviders());
    }

    SessionFactory(OrtEnvironment env, InferenceSettings settings, EnumSet<OrtProvider> available) {
        this.env = env;
        this.settings = settings;
        this.available = available;
    }

    InferenceSettings settings() {
        return settings;
    }

    Built open(Path onnx, String modelLabel) throws OrtException {
        List<String> order = new ArrayList<>(settings.providers());
        if (!order.contains("cpu")) order.add("cpu");
        for (String provider : order) {
            if (provider.equals("cpu")) {
                try (OrtSession.SessionOptions options = base()) {
                    OrtSession session = env.createSession(onnx.toString(), options);
                    log.info("Model {}: session ready on provider cpu", modelLabel);
                    return new Built(session, "cpu");
                }
            }
            String missing = missing(provider);
            if (missing != null) {
                log.warn("TSR-0310: model {}: execution provider {} unavailable, falling back to the next one: {}",
                        modelLabel, provider, missing);
                continue;
            }
            try {
                OrtSession session = openOn(provider, onnx);
                log.info("Model {}: session ready on provider {} (device {})", modelLabel, provider, settings.deviceId());
                return new Built(session, provider);
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                log.warn("TSR-0310: model {}: execution provider {} unavailable, falling back to the next one: {}",
                        modelLabel, provider, e.getMessage());
            }
        }
        throw new IllegalStateException("unreachable: cpu is always tried");
    }

    /** Why {@code provider} cannot even be tried with this ONNX Runtime build, or null if it can. */
    private String missing(String provider) {
        OrtProvider needed = provider.equals("tensorrt") ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
        if (available.contains(needed)) return null;
        return "this ONNX Runtime build has no " + needed.getName() + " (available: " + available
                + "); build with -Pgpu for the onnxruntime_gpu artifact";
    }

    private OrtSession openOn(String provider, Path onnx) throws OrtException {
        try (OrtSession.SessionOptions options = base()) {
            if (provider.equals("tensorrt")) {
                try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(settings.deviceId())) {
                    if (settings.tensorrtCacheDir() != null) {
                        Path cache = Path.of(settings.tensorrtCacheDir());
                        try {
                            Files.createDirectories(cache);
                        } catch (java.io.IOException e) {
                            throw new OrtException("TensorRT cache directory " + cache + " cannot be created: " + e);
                        }
                        trt.add("trt_engine_cache_enable", "1");
                        trt.add("trt_engine_cache_path", cache.toString());
                        trt.add("trt_timing_cache_enable", "1");
                        trt.add("trt_timing_cache_path", cache.toString());
                    }
                    if (settings.tensorrtFp16()) trt.add("trt_fp16_enable", "1");
                    options.addTensorrt(trt);
                }
            }
            if (available.contains(OrtProvider.CUDA)) {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(settings.deviceId())) {
                    options.addCUDA(cuda);
                }
            }
            return env.createSession(onnx.toString(), options);
        }
    }

    private OrtSession.SessionOptions base() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) o.setIntraOpNumThreads(settings.intraOpThreads());
            if (settings.interOpThreads() > 0) o.setInterOpNumThreads(settings.interOpThreads());
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
