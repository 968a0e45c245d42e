package io.tessera.inference;

/** Applies the manifest's intensity step in place and says which value stands for air outside the volume. */
final class IntensityNormalizer {

    /** Normalises {@code v} in place; returns the padding value (the normalised minimum: air for CT). */
    static float apply(float[] v, ModelManifest.Intensity it) {
        switch (it.type()) {
            case "window" -> {
                float lo = it.min().floatValue(), hi = it.max().floatValue(), scale = 1f / (hi - lo);
                for (int x = 0; x < v.length; x++) v[x] = (Math.max(lo, Math.min(hi, v[x])) - lo) * scale;
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

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : v) m = Math.min(m, f);
        return m;
    }

    private IntensityNormalizer() {}
}
