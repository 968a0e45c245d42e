package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import org.junit.jupiter.api.Test;

/**
 * Other voxel sizes than the 3 × 3 × 5 mm of the main measurement: thin isotropic voxels, where lesions are many voxels
 * and the rim is thinner, and the 512 × 512 × 300 benchmark grid within the 2 GB heap this module's tests run under
 * (time printed, never asserted).
 */
class GroundingScaleTest {

    @Test
    void grounds_on_isotropic_two_millimetre_phantoms() {
        GroundingScore score = new GroundingScore();
        int n = 4;
        for (int s = 0; s < n; s++) {
            Phantom p = PhantomGenerator.generate(PhantomSpec.isotropic(201 + s, 2.0, 3, PhantomSpec.DEFAULT_NOISE_HU, 2));
            score.add(p, p.organs(), GroundingScore.phantomLabels());
        }
        System.out.println(score.table("Grounding accuracy, truth organs, PhantomSpec.isotropic(201..204, 2.0 mm)", n));
        score.failures.forEach(f -> System.out.println("  miss: " + f));
        assertTrue(score.positiveShare() >= 0.9, score.failures.toString());
        assertEquals(1.0, score.negatedShare(), score.failures.toString());
        assertEquals(1.0, score.noLesionShare(), score.failures.toString());
    }

    @Test
    void grounds_on_the_benchmark_grid_within_the_heap() {
        Phantom p = PhantomGenerator.generate(PhantomSpec.benchmark(7));
        ParsedReport report = new ReportParser().parse(p.reportText());
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            int grounded = (int) new Grounder().ground(p.ct(), p.organs(), GroundingScore.phantomLabels(), report, "1", 1)
                    .stream().filter(io.tessera.core.GroundedFinding::grounded).count();
            System.out.printf("512x512x300 phantom, run %d: %d findings grounded in %.0f ms%n", run + 1, grounded,
                    (System.nanoTime() - t0) / 1e6);
        }
        GroundingScore score = new GroundingScore();
        score.add(p, p.organs(), GroundingScore.phantomLabels());
        System.out.println(score.table("Grounding accuracy, truth organs, PhantomSpec.benchmark(7)", 1));
        assertEquals(score.positives, score.positivesRight, score.failures.toString());
        assertEquals(1.0, score.negatedShare(), score.failures.toString());
    }
}
