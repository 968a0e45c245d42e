package io.tessera.bench;

import io.tessera.inference.InferenceSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/** Inference settings from the benchmark's command line (the same knobs as {@code inference.*} in tessera.yaml). */
final class BenchSettings {
    static InferenceSettings from(Map<String, String> a) {
        String providers = a.getOrDefault("providers", "cpu").replace("[", "").replace("]", "");
        return new InferenceSettings(Arrays.stream(providers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                Integer.parseInt(a.getOrDefault("intra", "0")), Integer.parseInt(a.getOrDefault("inter", "0")),
                Integer.parseInt(a.getOrDefault("device", "0")), a.get("trt-cache"), a.containsKey("fp16"), 1,
                Duration.ofMinutes(30));
    }

    private BenchSettings() {}
}
