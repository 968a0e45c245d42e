package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import org.junit.jupiter.api.Test;

/**
 * Grounding accuracy on fresh phantoms with the phantom's own organ truth as the segmentation: the share of positive
 * findings grounded to the right lesion (bar 0.9), of negated findings producing no region (must be 1.0), of findings
 * stated where there is no lesion left ungrounded (1.0), and the mean IoU of the grounded masks.
 */
class GroundingAccuracyTest {
    static final int PHANTOMS = 16;

    /** Seeds 101.. (not used elsewhere in tests), 1–3 lesions each. */
    static PhantomSpec spec(int n) {
        return PhantomSpec.small(101 + n).withLesionCount(1 + n % 3);
    }

    @Test
    void grounds_phantom_report_findings_with_the_truth_organ_segmentation() {
        GroundingScore score = new GroundingScore();
        for (int n = 0; n < PHANTOMS; n++) {
            Phantom p = PhantomGenerator.generate(spec(n));
            score.add(p, p.organs(), GroundingScore.phantomLabels());
        }
        System.out.println(score.table("Grounding accuracy, truth organ segmentation, PhantomSpec.small(101..116)", PHANTOMS));
        score.failures.forEach(f -> System.out.println("  miss: " + f));
        assertTrue(score.positiveShare() >= 0.9, score.failures.toString());
        assertEquals(1.0, score.negatedShare(), score.failures.toString());
        assertEquals(1.0, score.noLesionShare(), score.failures.toString());
        assertTrue(score.meanIou() >= 0.5, "mean IoU " + score.meanIou());
    }
}
