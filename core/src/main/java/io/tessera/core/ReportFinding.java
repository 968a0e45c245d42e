package io.tessera.core;

import java.util.Objects;

/**
 * One finding as the report states it, before grounding: the phrase it came from, what it is (SNOMED CT finding,
 * e.g. 27925004 Nodule), where (SNOMED CT site, e.g. 41224006 Lower lobe of left lung), side, assertion and the sizes
 * written in the text, largest first, in millimetres (empty when none).
 */
public record ReportFinding(int index, String phrase, Code findingType, Code site, Laterality laterality,
                            Assertion assertion, double[] sizeMm) {
    public ReportFinding {
        Objects.requireNonNull(phrase, "phrase");
        Objects.requireNonNull(findingType, "findingType");
        Objects.requireNonNull(laterality, "laterality");
        Objects.requireNonNull(assertion, "assertion");
        sizeMm = sizeMm == null ? new double[0] : sizeMm.clone();
    }

    /** Largest stated dimension in mm, or NaN when the text gives no size. */
    public double largestSizeMm() {
        double m = Double.NaN;
        for (double s : sizeMm) m = Double.isNaN(m) ? s : Math.max(m, s);
        return m;
    }
}
