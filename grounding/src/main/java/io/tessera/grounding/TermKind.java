package io.tessera.grounding;

/** What a lexicon phrase contributes to a parsed finding. */
public enum TermKind {
    FINDING, SITE, ZONE, LATERALITY, APPEARANCE, NEGATION, NEGATION_POST, UNCERTAINTY, HISTORICAL, BREAKER;

    static TermKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TSR-0452: unknown lexicon kind '" + s + "'");
        }
    }
}
