package io.tessera.dicomio;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.Laterality;
import io.tessera.core.ModelIdentity;
import io.tessera.core.ReportFinding;
import io.tessera.core.Uids;
import java.util.List;

/**
 * Grounding results on the {@link Fixtures} grid: a located nodule (right lower lobe), an uncertain liver lesion whose
 * mask overlaps the nodule's, a stated kidney cyst that could not be located, and a negated effusion.
 */
final class GroundingFixtures {
    static final ModelIdentity GROUNDER = new ModelIdentity("tessera-grounding", "0.3.0", null, "CPU");
    static final Code NODULE = Code.sct("27925004", "Nodule");
    static final Code LESION = Code.sct("52988006", "Lesion");
    static final Code RLL = Code.sct("266005", "Lower lobe of right lung");
    static final Code LIVER = Code.sct("10200004", "Liver");

    private GroundingFixtures() {}

    static List<GroundedFinding> findings(Grid g) {
        ReportFinding nodule = new ReportFinding(0, "8 mm nodule in the right lower lobe", NODULE, RLL, Laterality.RIGHT,
                Assertion.PRESENT, new double[] {8});
        ReportFinding lesion = new ReportFinding(1, "possible lesion in the liver", LESION, LIVER, Laterality.UNSPECIFIED,
                Assertion.UNCERTAIN, null);
        ReportFinding cyst = new ReportFinding(2, "small cyst in the left kidney", Code.sct("441457006", "Cyst"),
                Code.sct("64033007", "Kidney"), Laterality.LEFT, Assertion.PRESENT, null);
        ReportFinding effusion = new ReportFinding(3, "no pleural effusion", Code.sct("60046008", "Pleural effusion"),
                null, Laterality.UNSPECIFIED, Assertion.ABSENT, null);
        LabelMap a = box(g, 5, 12, 4, 9, 2, 5);
        LabelMap b = box(g, 10, 20, 6, 14, 3, 7); // overlaps a on i 10..11, j 6..8, k 3..4
        return List.of(
                grounded(nodule, a, g, 0.92),
                grounded(lesion, b, g, 0.61),
                GroundedFinding.notGrounded(cyst, "finding-3", uid(2), "no lesion candidate in the left kidney"),
                GroundedFinding.notGrounded(effusion, "finding-4", uid(3), "negated in the report"));
    }

    static String uid(int index) {
        return Uids.derive("fixture-finding", Integer.toString(index));
    }

    private static GroundedFinding grounded(ReportFinding f, LabelMap mask, Grid g, double confidence) {
        long n = 0;
        for (byte v : mask.labels()) if (v != 0) n++;
        double[] lo = g.toPatient(0, 0, 0);
        return new GroundedFinding(f, "finding-" + (f.index() + 1), uid(f.index()), true, null, mask, lo,
                g.toPatient(1, 1, 1), confidence, n * g.voxelVolumeMl(), 7.9 + f.index(), "segmentation+lesion");
    }

    /** Value 1 on [i0,i1) × [j0,j1) × [k0,k1). */
    static LabelMap box(Grid g, int i0, int i1, int j0, int j1, int k0, int k1) {
        LabelMap m = LabelMap.empty(g);
        for (int k = k0; k < k1; k++)
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++) m.labels()[g.index(i, j, k)] = 1;
        return m;
    }
}
