package io.tessera.grounding;

/**
 * What the report says a finding looks like, which decides what tissue a candidate may be. From words attached to the
 * finding ("hypodense", "enhancing", "calcified", "cystic", "fat-containing") or, when there are none, from the finding
 * itself (a cyst is fluid, a calcification is dense). {@link #UNSTATED} still rules out gas and fat: no nodule, mass
 * or lesion of this lexicon is either.
 */
public enum Appearance {
    /** Soft tissue or fluid, darker or brighter than the organ; never gas, fat or calcium. */
    UNSTATED("soft-tissue"),
    /** Darker than the organ ("hypodense", "hypoattenuating", "low attenuation", "hypoenhancing"); soft tissue or fluid. */
    DARK("hypodense soft-tissue or fluid"),
    /** Brighter than the organ ("hyperdense", "enhancing"); not gas or fat. */
    BRIGHT("hyperdense"),
    /** Water density and darker than the organ ("cyst", "cystic"). */
    FLUID("fluid"),
    /** Dense, above about 130 HU ("calcified", "calcification"). */
    CALCIFIED("calcified"),
    /** Fat density ("fat-containing", "fatty"). */
    FAT("fat-density");

    private final String words;

    Appearance(String words) {
        this.words = words;
    }

    /** How a reason names the candidates this finding can be: "no hypodense soft-tissue or fluid candidate ...". */
    public String words() {
        return words;
    }
}
