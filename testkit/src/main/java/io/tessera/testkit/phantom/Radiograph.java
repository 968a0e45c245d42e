package io.tessera.testkit.phantom;

import java.util.List;
import java.util.Map;

/**
 * A digitally reconstructed radiograph of a phantom: a PA chest projection with its projected truth.
 *
 * <p>Pixels are 12-bit values in the MONOCHROME2 sense (more attenuation along the ray, brighter), row by row
 * (x fastest); row 0 is the head end, column 0 the patient's right (as a PA chest film is hung). {@code truth} holds,
 * per structure, where the ray through a pixel centre crosses it ({@code lung_left}, {@code lung_right}, {@code heart},
 * {@code liver}, {@code lesion}).
 *
 * @param spec               the CT phantom this radiograph projects (same anatomy, same lesions)
 * @param spacingMm          imager pixel spacing, both directions
 * @param cardiothoracicRatio widest heart shadow / widest span across both lungs, from the projected truth
 */
public record Radiograph(PhantomSpec spec, int width, int height, double spacingMm, short[] pixels,
                         Map<String, boolean[]> truth, List<Lesion> lesions, double cardiothoracicRatio) {
    public static final int MAX_VALUE = 4095;

    /** A cardiothoracic ratio above this is called an enlarged cardiac silhouette in the phantom truth. */
    public static final double ENLARGED_HEART_RATIO = 0.48;

    public Radiograph {
        truth = Map.copyOf(truth);
        lesions = List.copyOf(lesions);
    }

    /** Where the ray crosses {@code structure} (a key of {@link #truth}). */
    public boolean[] mask(String structure) {
        boolean[] m = truth.get(structure);
        if (m == null) throw new IllegalArgumentException("TSR-0909: no projected truth for " + structure + " (have " + truth.keySet() + ")");
        return m;
    }

    /** True when a lesion lies in either lung: the "lung nodule" finding of the phantom truth. */
    public boolean lungNodule() {
        return lesions.stream().anyMatch(l -> l.organ().startsWith("lung"));
    }

    public boolean enlargedHeart() {
        return cardiothoracicRatio > ENLARGED_HEART_RATIO;
    }

    /** Pixel (column, row) of a point in patient coordinates (LPS mm), ignoring its depth. */
    public double[] pixelOf(double xMm, double zMm) {
        return new double[] {(xMm + width * spacingMm / 2) / spacingMm, (height * spacingMm / 2 - zMm) / spacingMm};
    }
}
