package io.tessera.grounding;

/**
 * A lexicon phrase or a size found in one sentence: token span {@code [from, to)} and the words as written.
 * {@code term} is null for sizes ({@code sizesMm} set) and for clause ends (";").
 */
record Mention(TermKind kind, Term term, int from, int to, String text, double[] sizesMm) {
    boolean isSize() {
        return sizesMm != null;
    }

    /** Token gap between this mention and {@code o} (0 when adjacent or overlapping). */
    int distance(Mention o) {
        if (o.to <= from) return from - o.to;
        if (to <= o.from) return o.from - to;
        return 0;
    }
}
