package io.tessera.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds one {@link OrtSession} for a model, trying the configured execution providers in order. */
final class SessionFactory {
    private static final Logger log = LoggerFactory.getLogger(SessionFactory.class);

    record Built(OrtSession session, String provider) {}

    private final OrtEnvironment env;
    private final InferenceSettings settings;

    SessionFactory(OrtEnvironment env, InferenceSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    Built open(Path onnx, String modelLabel) throws OrtException {
        List<String> order = new ArrayList<>(settings.providers());
        if (!order.contains("cpu")) order.add("cpu");
        OrtException last = null;
        for (String provider : order) {
            try (OrtSession.SessionOptions options = options(provider)) {
                OrtSession session = env.createSession(onnx.toString(), options);
                log.info("Model {}: session ready on provider {}", modelLabel, provider);
                return new Built(session, provider);
            } catch (OrtException | RuntimeException e) {
                if (provider.equals("cpu")) throw e instanceof OrtException o ? o : new OrtException(e.toString());
                log.warn("TSR-0310: model {}: execution provider {} unavailable, falling back to the next one: {}",
                        modelLabel, provider, e.getMessage());
                last = e instanceof OrtException o ? o : new OrtException(e.toString());
            }
        }
        throw last;
    }

    private OrtSession.SessionOptions options(String provider) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) o.setIntraOpNumThreads(settings.intraOpThreads());
            if (settings.interOpThreads() > 0) o.setInterOpNumThreads(settings.interOpThreads());
            switch (provider) {
                case "tensorrt" -> o.addTensorrt(settings.deviceId());
                case "cuda" -> o.addCUDA(settings.deviceId());
                default -> { }
            }
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
