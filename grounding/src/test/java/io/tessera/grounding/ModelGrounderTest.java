package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Assertion;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.inference.GroundingRunner;
import io.tessera.inference.LoadedModel;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End to end on a fresh phantom (seed 7001, not a training seed): report text and image in, model-grounded findings out. */
class ModelGrounderTest {

    @Test
    void grounds_a_fresh_phantom_report_with_the_reference_model() throws Exception {
        Phantom p = PhantomGenerator.generate(PhantomSpec.small(7001).withLesionCount(3));
        ParsedReport report = new ReportParser().parse(p.reportText());
        Grid g = p.ct().grid();
        try (LoadedModel m = GroundingRunner.openCpu(ModelGroundingAccuracyTest.DIR)) {
            ModelGrounder grounder = new ModelGrounder(new GroundingRunner(m));
            List<GroundedFinding> out = grounder.ground(p.ct(), report.findings(), "2.25.7001", 1);
            long notNegated = report.findings().stream().filter(f -> f.finding().assertion() != Assertion.ABSENT).count();
            assertEquals(notNegated, out.size(), "one result per finding that is not negated");
            int grounded = 0;
            for (GroundedFinding f : out) {
                System.out.println("  " + f.finding().phrase() + " -> " + (f.grounded()
                        ? String.format("lesion %d, %.2f ml, %.0f mm, p %.2f", GroundingScore.majorityLesion(p.lesionMap(), f.mask()),
                        f.volumeMl(), f.maxDiameterMm(), f.confidence()) : f.reason()));
                assertEquals(Grounder.trackingUid("2.25.7001", 1, f.finding().index()), f.trackingUid());
                if (!f.grounded()) {
                    assertTrue(f.reason().startsWith("model:phantom-grounding 1.0.0: no voxel above 0.50"), f.reason());
                    assertNull(f.mask());
                    continue;
                }
                grounded++;
                assertEquals("model:phantom-grounding 1.0.0", f.method());
                assertEquals(g, f.mask().grid());
                assertTrue(f.confidence() >= 0.5 && f.confidence() <= 1, "confidence " + f.confidence());
                long voxels = 0;
                byte[] mask = f.mask().labels();
                for (int x = 0; x < mask.length; x++) {
                    if (mask[x] == 0) continue;
                    voxels++;
                    double[] lps = g.toPatient(x % g.nx(), (x / g.nx()) % g.ny(), x / (g.nx() * g.ny()));
                    for (int a = 0; a < 3; a++) {
                        assertTrue(lps[a] >= f.bboxMinLps()[a] - 1e-6 && lps[a] <= f.bboxMaxLps()[a] + 1e-6, "voxel outside bbox");
                    }
                }
                assertEquals(voxels * g.voxelVolumeMl(), f.volumeMl(), 1e-9);
                assertTrue(f.maxDiameterMm() > 0);
            }
            System.out.println("grounded " + grounded + " of " + out.size());
            // a stated-absent sentence given to the model directly produces no region
            ModelGrounder.Region r = grounder.region(p.ct(), "No focal splenic lesion");
            assertNull(r.mask(), "peak " + r.peak());
            assertFalse(r.peak() >= 0.5);
        }
    }
}
