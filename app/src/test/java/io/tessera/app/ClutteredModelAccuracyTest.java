package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.LabelMap;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.SegmentationOutput;
import io.tessera.inference.Segmenter;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.clutter.ClutterKind;
import io.tessera.testkit.phantom.clutter.ClutterSpec;
import io.tessera.testkit.phantom.clutter.ClutteredPhantom;
import io.tessera.testkit.phantom.clutter.ClutteredPhantomGenerator;
import io.tessera.testkit.phantom.clutter.ScanRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed reference model on the cluttered phantom: an independent generator (its own anatomy, bowel gas and
 * fluid over and beside organs, enhanced vessels, cysts, calcifications, focal fat, the CT table, arms, thin to obese
 * habitus, 0.6–5 mm slices) that the model never saw in training. Run as Tessera runs it (native grid → 4 mm → sliding
 * window → back), Dice per label against the generator's organ truth, on fixed seeds used nowhere else.
 *
 * <p>Truth: where a bowel loop is drawn over the liver the generator keeps the liver label (its purpose there is to
 * test grounding against a leaked segmentation); the image shows bowel, so for segmentation those voxels count as body.
 * Two scan ranges: the abdomen only (no lungs in truth: the lung volume the model wrongly finds is reported) and the
 * same abdomen with the lower chest above it (domed diaphragm, lung bases reaching down behind liver and spleen, heart,
 * ribs), where lungs are scored. A label's mean is over the phantoms whose truth contains it.
 * {@code -Dtessera.models=DIR} measures a candidate package folder instead, and {@code -Dtessera.clutter.devOnly=true}
 * keeps to the development seeds while a candidate is being chosen.
 */
class ClutteredModelAccuracyTest {
    /**
     * Regression guards on the mean over the fresh phantoms, just below what model 1.4.0 reaches there (body 0.965,
     * lungs 0.953/0.960, bone 0.913, liver 0.786, spleen 0.710, kidneys 0.476/0.743; 1.3.0 on the same seeds: 0.954,
     * 0.946/0.950, 0.880, 0.656, 0.661, 0.564/0.738). The goal is body 0.93, lungs 0.93, liver 0.85: the liver misses
     * it, and the left kidney lost ground (the spleen's part taken for kidney_left outgrows the kidney and the
     * largest-component rule keeps it); see the model card. Raise the guards with the model that clears them.
     */
    static final Map<String, Double> MIN_MEAN_DICE = new LinkedHashMap<>();

    static {
        MIN_MEAN_DICE.put("body", 0.95);
        MIN_MEAN_DICE.put("lung_left", 0.94);
        MIN_MEAN_DICE.put("lung_right", 0.95);
        MIN_MEAN_DICE.put("bone", 0.90);
        MIN_MEAN_DICE.put("liver", 0.77);
        MIN_MEAN_DICE.put("spleen", 0.69);
        MIN_MEAN_DICE.put("kidney_left", 0.45);
        MIN_MEAN_DICE.put("kidney_right", 0.72);
    }

    /** Looked at while the training recipes were worked out. */
    static final long[] DEV_SEEDS = {8_200_001L, 8_200_002L, 8_200_003L, 8_200_004L, 8_200_005L, 8_200_006L};
    static final long[] DEV_CHEST_SEEDS = {8_210_001L, 8_210_002L, 8_210_003L, 8_210_004L};
    /**
     * First measured with the model that was shipped: the numbers the model card and the bars report (1.4.0; 1.3.0 was
     * chosen before them and measured on them too; its own fresh seeds, 8400001-6 and 8410001-4, are in the card).
     */
    static final long[] SEEDS = {8_500_001L, 8_500_002L, 8_500_003L, 8_500_004L, 8_500_005L, 8_500_006L};
    static final long[] CHEST_SEEDS = {8_510_001L, 8_510_002L, 8_510_003L, 8_510_004L};
    /**
     * Abdomen-only scans have no lung: the most lung volume the model may find in one of them (bowel gas just below
     * the scan's top end is what it takes for lung): 1.4.0 finds up to 30 ml there, 1.3.0 up to 12 ml. A regression
     * guard, not a goal.
     */
    static final double MAX_FALSE_LUNG_ML = 40.0;
    private static final Set<ClutterKind> BOWEL = Set.of(ClutterKind.GAS_OVER_ORGAN, ClutterKind.GAS_BESIDE_ORGAN,
            ClutterKind.FLUID_BOWEL);
    static ModelRegistry registry;

    @BeforeAll
    static void load() {
        registry = ReferenceModelAccuracyTest.committedOrCandidateModels();
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    /** Organ truth as a segmentation should see it: bowel drawn over the liver is body. */
    static LabelMap segmentationTruth(ClutteredPhantom c) {
        byte[] t = c.phantom().organs().labels().clone();
        for (int i = 0; i < t.length; i++) {
            if (t[i] != PhantomLabels.LIVER) continue;
            ClutterKind k = c.distractorAt(i);
            if (k != null && BOWEL.contains(k)) t[i] = PhantomLabels.BODY;
        }
        return new LabelMap(c.phantom().organs().grid(), t);
    }

    /**
     * The bars apply to fresh seeds, measured once the model was chosen; the development seeds (what the training
     * recipe was judged on while it was being worked out) are printed beside them, so the two can be compared.
     */
    @Test
    void reference_model_on_cluttered_phantoms_it_never_saw() throws Exception {
        LoadedModel model = registry.get("ct-phantom-organs").orElseThrow(() -> new AssertionError(
                "ct-phantom-organs not loaded: " + registry.problems()));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "model %s %s on cluttered phantoms%n",
                model.manifest().name(), model.manifest().version()));
        List<String> devBelow = measure(model, "development seeds", DEV_SEEDS, DEV_CHEST_SEEDS, table);
        // -Dtessera.clutter.devOnly=true while choosing a training recipe: the fresh seeds stay unseen until then
        List<String> below = Boolean.getBoolean("tessera.clutter.devOnly") ? devBelow
                : measure(model, "fresh seeds (the bars)", SEEDS, CHEST_SEEDS, table);
        System.out.print(table);
        assertEquals(List.of(), below, table.toString());
    }

    /** Dice per label over abdomen-only and chest-abdomen phantoms of these seeds; the labels below their bar. */
    private static List<String> measure(LoadedModel model, String title, long[] abdomen, long[] chest, StringBuilder table)
            throws Exception {
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        MIN_MEAN_DICE.keySet().forEach(k -> scores.put(k, new ArrayList<>()));
        table.append("== ").append(title).append('\n');
        long[][] confusion = new long[9][9];   // [truth][found], all phantoms
        double falseLungMl = 0;
        List<ClutterSpec> specs = new ArrayList<>();
        for (long seed : abdomen) specs.add(ClutterSpec.all(seed));
        for (long seed : chest) specs.add(ClutterSpec.all(seed).withRange(ScanRange.CHEST_ABDOMEN));
        for (ClutterSpec spec : specs) {
            long seed = spec.seed();
            ClutteredPhantom c = ClutteredPhantomGenerator.generate(spec);
            SegmentationOutput out = new Segmenter().segment(model, c.phantom().ct());
            LabelMap found = out.labels(), truth = segmentationTruth(c);
            double[] sp = truth.grid().spacing();
            double voxelMl = sp[0] * sp[1] * sp[2] / 1000.0;
            long[] h = found.histogram();
            byte[] f = found.labels(), t = truth.labels();
            for (int i = 0; i < f.length; i++) confusion[t[i] & 0xff][f[i] & 0xff]++;
            table.append(String.format(Locale.ROOT, "seed %d: %s; inference %.1f s%n  ", seed, c.description(),
                    out.totalNanos() / 1e9));
            long[] th = truth.histogram();
            for (String name : MIN_MEAN_DICE.keySet()) {
                if (th[PhantomLabels.value(name)] == 0) continue;   // not in this scan range
                double d = found.dice(truth, PhantomLabels.value(name));
                scores.get(name).add(d);
                table.append(String.format(Locale.ROOT, "%s %.3f  ", name, d));
            }
            if (th[PhantomLabels.LUNG_LEFT] + th[PhantomLabels.LUNG_RIGHT] == 0) {
                double ml = (h[PhantomLabels.LUNG_LEFT] + h[PhantomLabels.LUNG_RIGHT]) * voxelMl;
                falseLungMl = Math.max(falseLungMl, ml);
                table.append(String.format(Locale.ROOT, "lungs found (truth: none) %.1f ml", ml));
            }
            table.append('\n');
        }
        List<String> below = new ArrayList<>();
        table.append("label          mean   min   phantoms (bar on mean)\n");
        for (var e : MIN_MEAN_DICE.entrySet()) {
            List<Double> s = scores.get(e.getKey());
            double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double min = s.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            table.append(String.format(Locale.ROOT, "%-13s  %.3f  %.3f  %2d       (%.2f)%n", e.getKey(), mean, min, s.size(),
                    e.getValue()));
            if (mean < e.getValue()) below.add(String.format(Locale.ROOT, "%s mean Dice %.3f", e.getKey(), mean));
        }
        table.append(String.format(Locale.ROOT, "most lung found in an abdomen-only scan: %.1f ml (bar %.0f)%n",
                falseLungMl, MAX_FALSE_LUNG_ML));
        if (falseLungMl > MAX_FALSE_LUNG_ML) {
            below.add(String.format(Locale.ROOT, "lung found in an abdomen-only scan %.1f ml", falseLungMl));
        }
        table.append("where each truth label went (share of its voxels; others < 2 %):\n");
        for (int tv = 1; tv < 9; tv++) {
            long n = java.util.Arrays.stream(confusion[tv]).sum();
            if (n == 0) continue;
            table.append(String.format(Locale.ROOT, "  %-13s", PhantomLabels.name(tv)));
            for (int fv = 0; fv < 9; fv++) {
                double share = (double) confusion[tv][fv] / n;
                if (share >= 0.02) table.append(String.format(Locale.ROOT, " %s %.2f", PhantomLabels.name(fv), share));
            }
            table.append('\n');
        }
        return below;
    }
}
