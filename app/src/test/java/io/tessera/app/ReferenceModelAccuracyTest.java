package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.LabelMap;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.SegmentationOutput;
import io.tessera.inference.Segmenter;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed reference model, run by Tessera's own inference engine on fresh phantoms (seeds never used in
 * training) at the phantom's native resolution: Dice per label against the generator's truth.
 * {@code -Dtessera.models=DIR} measures a candidate package folder instead.
 */
class ReferenceModelAccuracyTest {
    static final Map<String, Double> MIN_DICE = Map.of(
            "body", 0.90, "lung_left", 0.90, "lung_right", 0.90, "liver", 0.90,
            "bone", 0.80, "spleen", 0.80, "kidney_left", 0.80, "kidney_right", 0.80);
    static ModelRegistry registry;

    @BeforeAll
    static void load() {
        registry = committedOrCandidateModels();
    }

    /** The committed model packages, or a candidate folder given as {@code -Dtessera.models=DIR}, on the CPU. */
    static ModelRegistry committedOrCandidateModels() {
        return ModelRegistry.load(List.of(Path.of(System.getProperty("tessera.models", "../models"))),
                InferenceSettings.cpu());
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    @Test
    void reference_model_reaches_the_dice_bar_on_fresh_phantoms() throws Exception {
        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow(() -> new AssertionError(
                "ct-phantom-organs not loaded: " + registry.problems()));
        StringBuilder table = new StringBuilder();
        List<String> below = new java.util.ArrayList<>();
        for (long seed : new long[] {7_000_001L, 7_000_002L}) {
            Phantom p = PhantomGenerator.generate(PhantomSpec.small(seed));
            SegmentationOutput out = new Segmenter().segment(model, p.ct());
            LabelMap found = out.labels();
            for (var e : MIN_DICE.entrySet()) {
                int v = PhantomLabels.value(e.getKey());
                double dice = found.dice(p.organs(), v);
                table.append(String.format("seed %d %-13s Dice %.3f (min %.2f)%n", seed, e.getKey(), dice, e.getValue()));
                if (dice < e.getValue()) below.add("seed " + seed + " " + e.getKey() + " Dice " + String.format("%.3f", dice));
            }
        }
        System.out.print(table);
        assertEquals(List.of(), below, table.toString());
    }
}
