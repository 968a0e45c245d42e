package io.tessera.bench;

import io.tessera.inference.InferenceSettings;
import java.util.Arrays;
import java.util.Map;

/** Inference settings from the benchmark's command line (the same knobs as {@code inference.*} in tessera.yaml). */
final class BenchSettings {
    static InferenceSettings from(Map<String, String> a) {
        return new InferenceSettings(Arrays.asList(a.getOrDefault("providers", "cpu").split(",")),
                Integer.parseInt(a.getOrDefault("intra", "0")), 1, Integer.parseInt(a.getOrDefault("device", "0")));
    }

    private BenchSettings() {}
}
