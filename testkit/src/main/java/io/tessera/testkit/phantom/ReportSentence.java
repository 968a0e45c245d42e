package io.tessera.testkit.phantom;

import java.util.Objects;

/**
 * Ground truth for one sentence of a phantom's report: what it says about the image.
 *
 * @param text        the sentence as written in {@link Phantom#reportText()}, without its final full stop
 * @param role        what the sentence is
 * @param lesionIndex for {@link Role#DESCRIBES_LESION}, the 1-based lesion index it describes; 0 otherwise
 */
public record ReportSentence(String text, Role role, int lesionIndex) {
    public enum Role {
        /** A positive finding describing a lesion that is in the image (size, organ, side, lobe). */
        DESCRIBES_LESION,
        /** A negated finding ("No pleural effusion."): must never produce a region. */
        NEGATED,
        /** A finding stated in an organ (or unsegmented site) that holds no lesion: must not be grounded. */
        NO_LESION,
        /** History, indication, normal statements: must produce no present finding. */
        DISTRACTOR
    }

    public ReportSentence {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(role, "role");
        if ((role == Role.DESCRIBES_LESION) != (lesionIndex > 0)) {
            throw new IllegalArgumentException("TSR-0908: a lesion index goes with DESCRIBES_LESION only");
        }
    }
}
