package io.tessera.grounding;

import java.util.Locale;

/**
 * Whether a lesion candidate can be what a finding's sentence describes, and how well it fits. A candidate is
 * rejected, with the reason, when
 * <ul>
 *   <li>its tissue contradicts the words: gas (core below {@value #GAS_HU} HU) or fat (below {@value #FAT_HU} HU) for
 *       anything but a fat-containing finding; brighter than the organ for a hypodense finding or a cyst, darker for a
 *       hyperdense or enhancing one; not dense (peak at most {@value #DENSE_HU} HU) for a calcification; denser than
 *       {@value #CALCIUM_HU} HU (calcium, bone) for an unqualified nodule, mass or lesion;</li>
 *   <li>its size contradicts the stated size: equivalent diameter below {@value #MIN_RATIO}× or above
 *       {@value #MAX_RATIO}× of it, or longest extent above {@value #MAX_EXTENT}× of it;</li>
 *   <li>its shape is a tube or a sheet rather than a lesion: elongation above {@value #MAX_ELONGATION} or compactness
 *       below {@value #MIN_COMPACTNESS} (judged only where the candidate is large enough for its shape to mean
 *       something: see {@link #shapeJudged}).</li>
 * </ul>
 * The "core" is the candidate's quartile on its own side of the organ (see {@link Candidate#coreHu}): a dark candidate
 * whose lower quartile is gas is a gas pocket even when partial volume makes its mean look like fat. A bright
 * candidate in aerated lung is never gas, whatever its mean, since it is denser than its surroundings.
 *
 * <p>An acceptable candidate scores by size agreement {@code exp(-ln²(d_eq/d_text) / (2·0.25²))} (0.5 when the text
 * gives no size), × compactness / {@value #ROUND} when less round than that (between a ball and the chunk of a bowel
 * loop of the same volume, the ball), × 0.5 for a cyst that is not of water density, × {@value #OUT_OF_ZONE} outside the named lobe,
 * zone or segment (zones are approximations: a preference, never a limit).
 */
final class CandidateJudge {
    static final double GAS_HU = -200;
    static final double FAT_HU = -40;
    static final double WATER_MAX_HU = 20;
    static final double DENSE_HU = 130;
    static final double CALCIUM_HU = 300;
    static final double MIN_RATIO = 0.5;
    static final double MAX_RATIO = 1.6;
    static final double MAX_EXTENT = 2.0;
    static final double MAX_ELONGATION = 2.6;
    static final double MIN_COMPACTNESS = 0.4;
    static final int SHAPE_MIN_VOXELS = 12;
    static final double SHAPE_MIN_SPANS = 2.5;
    static final double OUT_OF_ZONE = 0.6;
    /** Compactness from which a candidate counts as round: below it, the score falls in proportion. */
    static final double ROUND = 0.75;

    /** Why a candidate was set aside; {@code words} is how the reason counts them ("3 gas"). */
    enum Rejection {
        GAS("gas"), FAT("fat"), BRIGHTER("brighter than the organ"), DARKER("darker than the organ"),
        NOT_DENSE("not calcified"), CALCIUM("calcium-dense"), NOT_FAT("not fat"), TOO_SMALL("too small"),
        TOO_LARGE("too large"), TUBULAR("tubular or flat");

        final String words;

        Rejection(String words) {
            this.words = words;
        }
    }

    /** A score (> 0) or a rejection, never both. */
    record Verdict(double score, Rejection rejection) {
        boolean accepted() {
            return rejection == null;
        }
    }

    private CandidateJudge() {
    }

    static Verdict judge(ParsedFinding f, Candidate c, OrganRegion r) {
        Rejection tissue = tissue(f.appearance(), c);
        if (tissue != null) return new Verdict(0, tissue);
        double stated = f.finding().largestSizeMm();
        double score = 0.5;
        if (!Double.isNaN(stated)) {
            double ratio = c.equivalentDiameterMm() / stated;
            if (ratio < MIN_RATIO) return new Verdict(0, Rejection.TOO_SMALL);
            if (ratio > MAX_RATIO || c.maxDiameterMm() > MAX_EXTENT * stated) return new Verdict(0, Rejection.TOO_LARGE);
            score = Math.exp(-Math.pow(Math.log(ratio), 2) / (2 * 0.25 * 0.25));
        }
        if (shapeJudged(c, r)) {
            if (c.elongation() > MAX_ELONGATION || c.compactness() < MIN_COMPACTNESS) return new Verdict(0, Rejection.TUBULAR);
            score *= Math.min(1, c.compactness() / ROUND);
        }
        if (f.appearance() == Appearance.FLUID && c.coreHu() > WATER_MAX_HU) score *= 0.5;
        if (!r.inZone(f.zone(), c.centroidLps())) score *= OUT_OF_ZONE;
        return new Verdict(score, null);
    }

    /**
     * Shape is judged only for candidates of {@value #SHAPE_MIN_VOXELS} voxels or more and at least
     * {@value #SHAPE_MIN_SPANS} of the coarsest voxel edge across: a ball two voxels wide is as elongated as its
     * voxel grid makes it.
     */
    static boolean shapeJudged(Candidate c, OrganRegion r) {
        double[] sp = r.grid.spacing();
        double coarsest = Math.max(sp[0], Math.max(sp[1], sp[2]));
        return c.voxels().length >= SHAPE_MIN_VOXELS && c.equivalentDiameterMm() >= SHAPE_MIN_SPANS * coarsest;
    }

    /** The tissue rule of the class javadoc; null when the candidate's tissue fits the words. */
    static Rejection tissue(Appearance a, Candidate c) {
        if (a == Appearance.FAT) {
            return !c.bright() && c.coreHu() >= GAS_HU && c.coreHu() < FAT_HU ? null : Rejection.NOT_FAT;
        }
        if (!c.bright() && c.coreHu() < GAS_HU) return Rejection.GAS;
        if (!c.bright() && c.coreHu() < FAT_HU) return Rejection.FAT;
        return switch (a) {
            case DARK, FLUID -> c.bright() ? Rejection.BRIGHTER : null;
            case BRIGHT -> c.bright() ? null : Rejection.DARKER;
            case CALCIFIED -> !c.bright() ? Rejection.DARKER : c.peakHu() <= DENSE_HU ? Rejection.NOT_DENSE : null;
            default -> c.bright() && c.coreHu() > CALCIUM_HU ? Rejection.CALCIUM : null;
        };
    }

    /** "24.0 mm" or "unstated size", for reasons. */
    static String size(ParsedFinding f) {
        double s = f.finding().largestSizeMm();
        return Double.isNaN(s) ? "any size" : String.format(Locale.ROOT, "about %.0f mm", s);
    }
}
