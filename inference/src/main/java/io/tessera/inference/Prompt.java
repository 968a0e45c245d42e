package io.tessera.inference;

import java.util.Arrays;

/**
 * A prompt on one frame, in pixel coordinates of that frame: x to the right along a row, y down a column, pixel
 * {@code (i, j)} covering {@code [i, i+1) × [j, j+1)} (so its centre is {@code (i + 0.5, j + 0.5)}), as SAM takes
 * clicks on an image. A box is two corner points labelled 2 and 3; a click is labelled 1 (include) or 0 (exclude).
 */
public record Prompt(float[] xy, float[] labels, boolean box) {
    public static final float INCLUDE = 1, EXCLUDE = 0, BOX_TOP_LEFT = 2, BOX_BOTTOM_RIGHT = 3;

    public Prompt {
        if (xy.length != 2 * labels.length || labels.length == 0) {
            throw new IllegalArgumentException("TSR-0345: a prompt needs at least one point, each with x, y and a label");
        }
        xy = xy.clone();
        labels = labels.clone();
    }

    /** A box from {@code (x0, y0)} to {@code (x1, y1)}; corners in any order. */
    public static Prompt box(double x0, double y0, double x1, double y1) {
        if (!(Math.abs(x1 - x0) > 0 && Math.abs(y1 - y0) > 0)) {
            throw new IllegalArgumentException("TSR-0345: empty box (" + x0 + ", " + y0 + ") – (" + x1 + ", " + y1 + ")");
        }
        return new Prompt(new float[] {(float) Math.min(x0, x1), (float) Math.min(y0, y1), (float) Math.max(x0, x1),
                (float) Math.max(y0, y1)}, new float[] {BOX_TOP_LEFT, BOX_BOTTOM_RIGHT}, true);
    }

    /** Clicks: {@code xy} holds x0, y0, x1, y1, …; {@code include[n]} says whether point n is inside (1) or outside (0). */
    public static Prompt points(double[] xy, boolean[] include) {
        float[] p = new float[xy.length];
        for (int i = 0; i < xy.length; i++) p[i] = (float) xy[i];
        float[] l = new float[include.length];
        for (int i = 0; i < include.length; i++) l[i] = include[i] ? INCLUDE : EXCLUDE;
        return new Prompt(p, l, false);
    }

    public int count() {
        return labels.length;
    }

    /**
     * The decoder's {@code point_coords} (scaled by {@code scale} onto the model's resized image) and
     * {@code point_labels}. Clicks get SAM's padding point (0, 0) labelled −1, which its ONNX decoder expects when no
     * box is given; a box has none.
     */
    float[][] feeds(double scale) {
        int n = count() + (box ? 0 : 1);
        float[] coords = Arrays.copyOf(xy, 2 * n);
        float[] lab = Arrays.copyOf(labels, n);
        for (int i = 0; i < 2 * count(); i++) coords[i] = (float) (xy[i] * scale);
        if (!box) lab[n - 1] = -1;
        return new float[][] {coords, lab};
    }

    void checkInside(int width, int height) {
        for (int i = 0; i < count(); i++) {
            float x = xy[2 * i], y = xy[2 * i + 1];
            if (!(x >= 0 && x <= width && y >= 0 && y <= height)) {
                throw new IllegalArgumentException("TSR-0345: prompt point (" + x + ", " + y + ") is outside the frame "
                        + width + "x" + height);
            }
        }
    }
}
