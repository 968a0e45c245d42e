package io.tessera.testkit.phantom.clutter;

/**
 * How far the cluttered phantom's scan reaches, in LPS z millimetres (the liver's centre is near z = 0).
 *
 * <ul>
 *   <li>{@link #ABDOMEN}: 150 mm from the kidneys to the upper liver, cut through both, no thorax — the scan the
 *       grounding measurements use;</li>
 *   <li>{@link #CHEST_ABDOMEN}: the same abdomen plus 140 mm above it: domed diaphragm, lung bases with posterior
 *       recesses, heart, mediastinum and ribs. A segmentation model's lungs are only measurable here.</li>
 * </ul>
 */
public enum ScanRange {
    ABDOMEN(-105, 45),
    CHEST_ABDOMEN(-105, 185);

    final double zLo, zHi;

    ScanRange(double zLo, double zHi) {
        this.zLo = zLo;
        this.zHi = zHi;
    }

    boolean hasThorax() {
        return this == CHEST_ABDOMEN;
    }
}
