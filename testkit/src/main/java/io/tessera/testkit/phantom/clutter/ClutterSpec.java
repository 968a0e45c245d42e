package io.tessera.testkit.phantom.clutter;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What cluttered phantom to draw. The seed fixes everything else: body habitus, arms, table, organ shapes and
 * enhancement, target lesions, the distractors of the chosen kinds, noise, slice thickness and the report's wording.
 *
 * @param seed    every random choice
 * @param clutter the distractor kinds to draw (the CT table, arms, aorta and body habitus vary regardless)
 * @param size    columns and rows (square); the field of view follows the body and arms, so pixels are 2–4 mm
 * @param range   how far the scan reaches: the abdomen only, or the lower chest too (lungs, heart, ribs)
 */
public record ClutterSpec(long seed, Set<ClutterKind> clutter, int size, ScanRange range) {
    /** Slice thicknesses a scanner offers, thin to thick. */
    static final double[] SLICES_MM = {0.625, 1.0, 1.25, 2.0, 2.5, 3.0, 5.0};

    public ClutterSpec {
        clutter = clutter.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(clutter));
        if (size < 32 || size > 512) throw new IllegalArgumentException("TSR-0911: size must be 32..512");
        if (range == null) range = ScanRange.ABDOMEN;
    }

    /** The abdomen-only scan range. */
    public ClutterSpec(long seed, Set<ClutterKind> clutter, int size) {
        this(seed, clutter, size, ScanRange.ABDOMEN);
    }

    /** The same phantom scanned over another range. */
    public ClutterSpec withRange(ScanRange r) {
        return new ClutterSpec(seed, clutter, size, r);
    }

    /** 128 × 128 in-plane, every kind of clutter. */
    public static ClutterSpec all(long seed) {
        return new ClutterSpec(seed, EnumSet.allOf(ClutterKind.class), 128);
    }

    /** 128 × 128 in-plane, one kind of clutter only (to measure what each does to grounding). */
    public static ClutterSpec only(long seed, ClutterKind kind) {
        return new ClutterSpec(seed, EnumSet.of(kind), 128);
    }

    /** 128 × 128 in-plane, no distractor objects (still table, arms, aorta, habitus, noise, thickness). */
    public static ClutterSpec plain(long seed) {
        return new ClutterSpec(seed, Set.of(), 128);
    }

    boolean has(ClutterKind k) {
        return clutter.contains(k);
    }

    /** Slice thickness for this seed (own stream, so adding clutter does not change it). */
    double sliceMm() {
        return SLICES_MM[new SplittableRandom(seed ^ 0x51CE5L).nextInt(SLICES_MM.length)];
    }

    /** Noise standard deviation in HU, 6–18: thin slices are noisier, as on a scanner at a fixed dose. */
    double noiseHu() {
        double base = 6 + 6 * new SplittableRandom(seed ^ 0x401E5L).nextDouble();
        return Math.min(18, base * Math.sqrt(2.5 / Math.max(1.0, sliceMm())));
    }
}
