package io.tessera.core;

import java.util.List;

/**
 * One label of a classifier's answer on one image: the probability the model gives it, the threshold the package
 * declares for it and the decision ({@code present}: probability at or above the threshold).
 *
 * @param name    the manifest's label name ({@code [A-Za-z0-9_]+})
 * @param display words for people ("Lung nodule")
 * @param codes   coded concepts of the finding, most specific first (SNOMED CT, RadLex); may be empty
 */
public record ClassifiedLabel(String name, String display, List<Code> codes, double probability, double threshold,
                              boolean present) {
    public ClassifiedLabel {
        codes = List.copyOf(codes);
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("TSR-0880: probability of " + name + " must be in [0, 1], was " + probability);
        }
    }

    /** The first code, or null when the package gives none. */
    public Code code() {
        return codes.isEmpty() ? null : codes.get(0);
    }
}
