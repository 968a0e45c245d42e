package io.tessera.inference;

import java.util.List;

/**
 * How sessions are built. {@code providers} are tried in order ({@code tensorrt}, {@code cuda}, {@code cpu}); one that
 * cannot be used is skipped with a log line naming it and the reason, and CPU is the last resort even when not listed.
 * Thread counts of 0 let ONNX Runtime choose.
 */
public record InferenceSettings(List<String> providers, int intraOpThreads, int interOpThreads, int deviceId) {
    public InferenceSettings {
        providers = List.copyOf(providers);
        if (intraOpThreads < 0 || interOpThreads < 0 || deviceId < 0) throw new IllegalArgumentException("negative setting");
        for (String p : providers) {
            if (!List.of("cpu", "cuda", "tensorrt").contains(p)) throw new IllegalArgumentException("unknown provider " + p);
        }
    }

    public static InferenceSettings cpu() {
        return new InferenceSettings(List.of("cpu"), 0, 1, 0);
    }
}
