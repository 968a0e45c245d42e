package io.tessera.inference;

import io.tessera.core.Grid;
import io.tessera.core.Volume;

/**
 * One 2D frame for a promptable model: {@code width × height} values in modality units (HU for CT), row by row
 * (x fastest), with the frame's own VOI LUT window when its header has one ({@code voiCenter}/{@code voiWidth}, or
 * NaN). {@code key} names the frame for the embedding cache (e.g. SOP Instance UID and frame number): two frames
 * with the same key must hold the same pixels.
 */
public record FrameImage(String key, int width, int height, float[] values, double voiCenter, double voiWidth) {
    public FrameImage {
        if (width <= 0 || height <= 0 || values.length != (long) width * height) {
            throw new IllegalArgumentException("TSR-0345: frame " + key + " is " + width + "x" + height + " but holds "
                    + values.length + " values");
        }
    }

    public FrameImage(String key, int width, int height, float[] values) {
        this(key, width, height, values, Double.NaN, Double.NaN);
    }

    /** Slice {@code k} of a volume (its own row and column axes), without a VOI window. */
    public static FrameImage ofSlice(Volume volume, int k, String key) {
        Grid g = volume.grid();
        if (k < 0 || k >= g.nz()) throw new IllegalArgumentException("TSR-0345: slice " + k + " is outside 0.." + (g.nz() - 1));
        float[] v = new float[g.nx() * g.ny()];
        for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) v[j * g.nx() + i] = volume.get(i, j, k);
        return new FrameImage(key, g.nx(), g.ny(), v);
    }

    /** The same frame with the VOI LUT window of its header (Window Center / Width). */
    public FrameImage withVoi(double center, double width) {
        return new FrameImage(key, this.width, height, values, center, width);
    }

    public boolean hasVoi() {
        return !Double.isNaN(voiCenter) && voiWidth > 0;
    }
}
