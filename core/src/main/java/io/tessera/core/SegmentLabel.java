package io.tessera.core;

/**
 * One output label of a segmentation model: its value in the label map, a machine name ({@code lung_left}),
 * SNOMED CT coded category and type, and a display colour (sRGB 0..255).
 */
public record SegmentLabel(int value, String name, Code category, Code type, int[] rgb) {
    public SegmentLabel {
        if (value < 1 || value > 255) throw new IllegalArgumentException("label value must be 1..255: " + value);
        if (rgb == null || rgb.length != 3) throw new IllegalArgumentException("rgb needs 3 values");
        rgb = rgb.clone();
    }

    /** Human label, e.g. {@code lung_left} → {@code Lung left}. */
    public String displayName() {
        String s = name.replace('_', ' ');
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
