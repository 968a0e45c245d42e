package io.tessera.inference;

/** Applies the manifest's intensity step in place and says which value stands for air outside the volume. */
final class IntensityNormalizer {

    /** Normalises {@code v} in place; returns the padding value (the normalised minimum: air for CT). */
    static float apply(float[] v, ModelManifest.Intensity it) {
        switch (it.type()) {
            case "window" -> {
                window(v, 0, v.length, it.min().floatValue(), it.max().floatValue());
                return 0f;
            }
            case "zscore" -> {
                // optional clip first: nnU-Net's CT normalisation clips to percentiles, then z-scores
                if (it.min() != null || it.max() != null) {
                    float lo = it.min() == null ? Float.NEGATIVE_INFINITY : it.min().floatValue();
                    float hi = it.max() == null ? Float.POSITIVE_INFINITY : it.max().floatValue();
                    for (int x = 0; x < v.length; x++) v[x] = Math.max(lo, Math.min(hi, v[x]));
                }
                double mean, std;
                if (it.mean() != null) {
                    mean = it.mean();
                    std = it.std();
                } else {
                    double s = 0, s2 = 0;
                    for (float f : v) {
                        s += f;
                        s2 += (double) f * f;
                    }
                    mean = s / v.length;
                    std = Math.sqrt(Math.max(0, s2 / v.length - mean * mean));
                    if (std < 1e-8) std = 1; // a constant volume: avoid dividing by zero
                }
                float m = (float) mean, inv = (float) (1 / std);
                for (int x = 0; x < v.length; x++) v[x] = (v[x] - m) * inv;
                return min(v);
            }
            case "none" -> {
                return min(v);
            }
            default -> throw new IllegalArgumentException("unknown intensity type " + it.type());
        }
    }

    /**
     * {lo, hi} when the step is a CT window: each voxel on its own (clip, scale to [0, 1]) with padding 0, so parts of
     * the image can be normalised as they are made; null for steps that need the whole image (z-score statistics,
     * the minimum as padding).
     */
    static float[] pointwiseWindow(ModelManifest.Intensity it) {
        return "window".equals(it.type()) ? new float[] {it.min().floatValue(), it.max().floatValue()} : null;
    }

    /** The CT window on {@code v[from .. to)}. */
    static void window(float[] v, int from, int to, float lo, float hi) {
        float scale = 1f / (hi - lo);
        for (int x = from; x < to; x++) v[x] = (Math.max(lo, Math.min(hi, v[x])) - lo) * scale;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : v) m = Math.min(m, f);
        return m;
    }

    private IntensityNormalizer() {}
}
