package io.tessera.grounding;

import io.tessera.core.Code;
import io.tessera.core.Laterality;
import java.util.Objects;

/**
 * One lexicon row: a phrase (lower-case words) and what it means.
 *
 * @param code      finding or site concept (null for cues)
 * @param organ     site: the segmentation label it lies in, {@code {side}} resolved from laterality, null when the
 *                  site is not segmented
 * @param zone      site or zone: {@code upper|middle|lower|rightpart|leftpart}, null for the whole organ
 * @param side      laterality named by the phrase itself ({@code left kidney}), or by a laterality word
 * @param focal     finding: refine to a lesion candidate (nodule, mass) rather than a whole region (effusion)
 * @param sidedBase site: with a known side, the phrase {@code "<side> " + sidedBase} names the sided concept
 * @param appearance appearance word: what it says the finding looks like; finding: what it looks like when no word
 *                   says (cyst: fluid, calcification: calcified); null otherwise
 */
public record Term(TermKind kind, String phrase, Code code, String organ, String zone, Laterality side, boolean focal,
                   String sidedBase, Appearance appearance) {
    public Term {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phrase, "phrase");
        if ((kind == TermKind.FINDING || kind == TermKind.SITE) && code == null) {
            throw new IllegalArgumentException("TSR-0451: lexicon " + kind + " '" + phrase + "' needs a code");
        }
    }

    public Term(TermKind kind, String phrase, Code code, String organ, String zone, Laterality side, boolean focal,
                String sidedBase) {
        this(kind, phrase, code, organ, zone, side, focal, sidedBase, null);
    }

    static Term cue(TermKind kind, String phrase) {
        return new Term(kind, phrase, null, null, null, null, false, null);
    }

    Term as(String newPhrase) {
        return new Term(kind, newPhrase, code, organ, zone, side, focal, sidedBase, appearance);
    }
}
