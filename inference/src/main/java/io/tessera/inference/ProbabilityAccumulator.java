package io.tessera.inference;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Gaussian-weighted sum of the model's raw outputs (logits) over all patches on the model grid ([Z, Y, X], x fastest),
 * one float array per channel, plus the sum of weights. {@link #finish} divides by the weights, checks that every
 * value is finite, applies the activation once per model-grid voxel and takes each voxel's argmax.
 *
 * <p>Blending the logits and activating afterwards is what nnU-Net ({@code predict_sliding_window_return_logits})
 * and MONAI ({@code sliding_window_inference}, activation as a post-transform) do; it also activates each voxel once
 * instead of once per overlapping patch. Patches are added in a fixed order, each split by z-plane across threads,
 * so results do not depend on scheduling.
 */
final class ProbabilityAccumulator {
    private final int nx, ny, nz, channels;
    private final float[][] sums;
    private final float[] weightSum;
    private float[] interleaved;

    ProbabilityAccumulator(int nx, int ny, int nz, int channels) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.channels = channels;
        this.sums = new float[channels][nx * ny * nz];
        this.weightSum = new float[nx * ny * nz];
    }

    /**
     * Adds batch item {@code b} of {@code out} ([N, C, pz, py, px], read in place) at window {@code start}
     * ({z, y, x}); voxels of the patch that fall in the padding beyond the grid are dropped.
     */
    void add(FloatBuffer out, int b, int[] start, int[] patch, float[] weights) {
        int pz = patch[0], py = patch[1], px = patch[2], pv = pz * py * px;
        int base = b * channels * pv;
        int zEnd = Math.min(pz, nz - start[0]), yEnd = Math.min(py, ny - start[1]), xEnd = Math.min(px, nx - start[2]);
        IntStream.range(0, zEnd).parallel().forEach(z -> {
            float[] row = new float[xEnd];
            for (int y = 0; y < yEnd; y++) {
                int p = (z * py + y) * px;
                int g = ((start[0] + z) * ny + start[1] + y) * nx + start[2];
                for (int x = 0; x < xEnd; x++) weightSum[g + x] += weights[p + x];
                for (int c = 0; c < channels; c++) {
                    float[] s = sums[c];
                    out.get(base + c * pv + p, row, 0, xEnd);
                    for (int x = 0; x < xEnd; x++) s[g + x] += row[x] * weights[p + x];
                }
            }
        });
    }

    /** As {@link #add(FloatBuffer, int, int[], int[], float[])} from an array. */
    void add(float[] out, int b, int[] start, int[] patch, float[] weights) {
        add(FloatBuffer.wrap(out), b, start, patch, weights);
    }

    /** Why {@link #finish} refused the outputs. */
    static final class NotFinite extends Exception {
        final boolean nan;

        NotFinite(boolean nan) {
            super(null, null, false, false);
            this.nan = nan;
        }
    }

    /**
     * Divides by the weight sums, checks every value, takes each voxel's argmax and activates ({@code softmax},
     * {@code sigmoid} or {@code none}) in place; returns the argmax class per voxel.
     *
     * <p>Both activations are monotone per voxel, so the argmax of the blended logits is the argmax of the
     * probabilities. Probabilities are only ever read where classes meet ({@link ProbabilityToLabels} interpolates
     * only inside model-grid cells whose corners disagree), so only voxels with a different class among their 26
     * neighbours are activated; elsewhere {@link #probabilities()} keeps the blended logits.
     *
     * @throws NotFinite if any blended output is NaN or infinite (a voxel never covered by a window is a bug: ISE)
     */
    byte[] finish(String activation) throws NotFinite {
        int kind = Activation.kind(activation);
        byte[] arg = new byte[weightSum.length];
        float[] out = new float[weightSum.length * channels];
        int plane = nx * ny;
        int[] bad = new int[2]; // [0]: a NaN seen, [1]: an infinity seen (only ever set; read after the join)
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int i = z * plane, end = i + plane; i < end; i++) {
                float w = weightSum[i];
                if (!(w > 0)) throw new IllegalStateException("voxel " + i + " not covered by any window");
                float inv = 1f / w;
                int best = 0;
                float bestV = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < channels; c++) {
                    float s = sums[c][i] * inv;
                    if (!Float.isFinite(s)) {
                        if (Float.isNaN(s)) bad[0] = 1;
                        else bad[1] = 1;
                        return;
                    }
                    out[i * channels + c] = s;
                    if (s > bestV) {
                        bestV = s;
                        best = c;
                    }
                }
                arg[i] = (byte) best;
            }
        });
        if (bad[0] != 0 || bad[1] != 0) throw new NotFinite(bad[0] != 0);
        for (int c = 0; c < channels; c++) sums[c] = null; // the interleaved copy replaces them
        if (kind != Activation.NONE) {
            byte[] near = nearOtherClass(arg);
            IntStream.range(0, nz).parallel().forEach(z -> {
                for (int i = z * plane, end = i + plane; i < end; i++) {
                    if (near[i] != 0) Activation.voxel(kind, out, i * channels, channels);
                }
            });
        }
        interleaved = out;
        return arg;
    }

    /**
     * 1 where a voxel has another class among its (up to) 26 neighbours, or close to such a place; 0 where its whole
     * 3×3×3 neighbourhood has its class. Separable: flag voxels that differ from a forward neighbour along x, y or z,
     * then dilate the flags by one voxel along each axis (a superset of the exact set is harmless: a few more voxels
     * get activated).
     */
    private byte[] nearOtherClass(byte[] arg) {
        int plane = nx * ny;
        byte[] a = new byte[arg.length], b = new byte[arg.length];
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                for (int x = 0, i = z * plane + y * nx; x < nx; x++, i++) {
                    byte c = arg[i];
                    boolean d = (x + 1 < nx && arg[i + 1] != c) || (y + 1 < ny && arg[i + nx] != c)
                            || (z + 1 < nz && arg[i + plane] != c);
                    a[i] = (byte) (d ? 1 : 0);
                }
            }
        });
        dilate(a, b, 0);
        dilate(b, a, 1);
        dilate(a, b, 2);
        return b;
    }

    /** {@code to[i] = from[i - step] | from[i] | from[i + step]} along {@code axis} (0 = x, 1 = y, 2 = z). */
    private void dilate(byte[] from, byte[] to, int axis) {
        int plane = nx * ny, step = axis == 0 ? 1 : axis == 1 ? nx : plane, n = axis == 0 ? nx : axis == 1 ? ny : nz;
        IntStream.range(0, nz).parallel().forEach(z -> {
            // positions along the axis counted, not divided out per voxel
            for (int y = 0; y < ny; y++) {
                for (int x = 0, i = z * plane + y * nx; x < nx; x++, i++) {
                    int pos = axis == 0 ? x : axis == 1 ? y : z;
                    int v = from[i];
                    if (pos > 0) v |= from[i - step];
                    if (pos + 1 < n) v |= from[i + step];
                    to[i] = (byte) v;
                }
            }
        });
    }

    /**
     * The values after {@link #finish}, interleaved ({@code [voxel * channels + c]}): probabilities wherever classes
     * meet, blended logits elsewhere.
     */
    float[] probabilities() {
        return interleaved;
    }

    int channels() {
        return channels;
    }

    /** Divides by the weight sums and returns the per-channel blended values, no activation (tests). */
    float[][] normalise() {
        for (int i = 0; i < weightSum.length; i++) {
            float w = weightSum[i];
            if (!(w > 0)) throw new IllegalStateException("voxel " + i + " not covered by any window");
            for (int c = 0; c < channels; c++) sums[c][i] /= w;
        }
        return sums;
    }

    float[] weightSum() {
        return weightSum;
    }
}
