package io.tessera.testkit.phantom.clutter;

/**
 * The kinds of distractor the cluttered phantom can draw around its target lesions. Each is something a rule that only
 * looks for "voxels unlike the organ" would take for a lesion; their voxels are recorded in
 * {@link ClutteredPhantom#distractorMap()} as {@code ordinal() + 1}.
 */
public enum ClutterKind {
    /** Gas-filled bowel loops drawn over the liver region, keeping the liver label (a segmentation that leaked). */
    GAS_OVER_ORGAN("bowel gas over the liver"),
    /** Gas-filled bowel loops (some with an air-fluid level) beside the liver, spleen and kidneys. */
    GAS_BESIDE_ORGAN("bowel gas beside organs"),
    /** Fluid-filled bowel loops (hypodense tubes) over and beside the liver. */
    FLUID_BOWEL("fluid-filled bowel"),
    /** Contrast-enhanced vessels branching inside the liver and spleen (bright tubes). */
    CONTRAST_VESSELS("enhanced vessels in organs"),
    /** Unreported simple cysts (water density) in liver, spleen and kidneys. */
    CYSTS("unreported cysts"),
    /** Unreported calcifications (small, dense) in liver and spleen. */
    CALCIFICATIONS("unreported calcifications"),
    /** Focal fat (fat density, lesion-sized) in the liver. */
    FOCAL_FAT("focal fat in the liver");

    private final String label;

    ClutterKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Gas or fat: never what a soft-tissue finding describes. */
    public boolean gasOrFat() {
        return this == GAS_OVER_ORGAN || this == GAS_BESIDE_ORGAN || this == FOCAL_FAT;
    }

    public static ClutterKind ofMapValue(int v) {
        return v <= 0 || v > values().length ? null : values()[v - 1];
    }
}
