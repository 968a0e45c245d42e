package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir Path tmp;

    @Test
    void loads_good_packages_and_reports_bad_ones_without_stopping() {
        TestModels.copy("threshold-dynamic", tmp.resolve("a-good"), y -> y);
        Path bad = TestModels.copy("threshold-dynamic", tmp.resolve("b-bad"),
                y -> y.replace("name: test-threshold", "name: other").replace("activation: softmax", "activation: relu"));
        TestModels.copy("threshold-fixed32", tmp.resolve("c-fixed"), y -> y);
        Path dup = TestModels.copy("threshold-dynamic", tmp.resolve("d-dup"), y -> y);
        try (ModelRegistry r = ModelRegistry.load(List.of(tmp, tmp.resolve("missing")), InferenceSettings.cpu())) {
            assertEquals(List.of("test-threshold", "test-threshold-fixed"), r.list().stream().map(LoadedModel::name).toList());
            assertTrue(r.get("test-threshold").isPresent());
            assertTrue(r.get("other").isEmpty());
            assertEquals(List.of("output.activation: unknown activation 'relu' (softmax | sigmoid | none)"), r.problems().get(bad));
            assertTrue(r.problems().get(dup).get(0).startsWith("name: 'test-threshold' already loaded"));
            assertEquals(List.of("not a directory"), r.problems().get(tmp.resolve("missing")));
        }
    }

    @Test
    void falls_back_to_cpu_when_a_gpu_provider_is_unavailable() {
        TestModels.copy("threshold-dynamic", tmp.resolve("m"), y -> y);
        InferenceSettings settings = new InferenceSettings(List.of("tensorrt", "cuda"), 1, 1, 0);
        try (ModelRegistry r = ModelRegistry.load(List.of(tmp), settings)) {
            assertEquals("cpu", r.get("test-threshold").orElseThrow().identity().provider());
        }
    }
}
