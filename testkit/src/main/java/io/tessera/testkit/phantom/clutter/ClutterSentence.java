package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.ReportSentence;
import java.util.Objects;

/**
 * One sentence of a cluttered phantom's report with its truth: the role the project's scorers know, and the kind of
 * text distractor it is, so that grounding can be measured per kind.
 */
public record ClutterSentence(String text, ReportSentence.Role role, int lesionIndex, Kind kind) {
    public enum Kind {
        /** Describes a target lesion (size, organ, lobe; appearance word). */
        POSITIVE("positive"),
        /** Describes a target lesion by Couinaud segment. */
        POSITIVE_SEGMENT("positive, Couinaud segment"),
        /** Describes a target lesion in a sentence that also measures the organ ("The liver measures 17 cm, with ..."). */
        POSITIVE_WITH_OTHER_SIZE("positive, organ size in the same sentence"),
        /** A negated finding ("No other focal liver lesion."). */
        NEGATED("negated finding"),
        /** A finding in a site that holds no lesion (a clean organ, or the unsegmented pancreas). */
        LESION_FREE_SITE("finding in a lesion-free site"),
        /** A measurement of something that is not a finding ("The aorta measures 24 mm."). */
        OTHER_MEASUREMENT("measurement of something else"),
        /** History or indication. */
        HISTORY("history");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ClutterSentence {
        Objects.requireNonNull(kind, "kind");
    }

    public ReportSentence truth() {
        return new ReportSentence(text, role, lesionIndex);
    }
}
