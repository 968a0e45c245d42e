package io.tessera.inference;

import java.util.stream.IntStream;

/**
 * Weighted sum of per-patch class probabilities on the model grid ([Z, Y, X], x fastest), one float array per
 * channel, plus the sum of weights; {@link #normalise()} divides them. Patches are added in a fixed order and each
 * one is split by z-plane across threads, so results do not depend on scheduling.
 */
final class ProbabilityAccumulator {
    private final int nx, ny, nz, channels;
    private final float[][] sums;
    private final float[] weightSum;

    ProbabilityAccumulator(int nx, int ny, int nz, int channels) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.channels = channels;
        this.sums = new float[channels][nx * ny * nz];
        this.weightSum = new float[nx * ny * nz];
    }

    /**
     * Adds batch item {@code b} of {@code probs} ([N, C, pz, py, px]) at window {@code start} ({z, y, x}); voxels
     * of the patch that fall in the padding beyond the grid are dropped.
     */
    void add(float[] probs, int b, int[] start, int[] patch, float[] weights) {
        int pz = patch[0], py = patch[1], px = patch[2], pv = pz * py * px;
        int base = b * channels * pv;
        int zEnd = Math.min(pz, nz - start[0]), yEnd = Math.min(py, ny - start[1]), xEnd = Math.min(px, nx - start[2]);
        IntStream.range(0, zEnd).parallel().forEach(z -> {
            for (int y = 0; y < yEnd; y++) {
                int p = (z * py + y) * px;
                int g = ((start[0] + z) * ny + start[1] + y) * nx + start[2];
                for (int x = 0; x < xEnd; x++) weightSum[g + x] += weights[p + x];
                for (int c = 0; c < channels; c++) {
                    float[] s = sums[c];
                    int q = base + c * pv + p;
                    for (int x = 0; x < xEnd; x++) s[g + x] += probs[q + x] * weights[p + x];
                }
            }
        });
    }

    /** Divides by the weight sums and returns the per-channel probabilities; fails if any voxel was never covered. */
    float[][] normalise() {
        IntStream.range(0, nz).parallel().forEach(z -> {
            int from = z * nx * ny, to = from + nx * ny;
            for (int v = from; v < to; v++) {
                float w = weightSum[v];
                if (!(w > 0)) throw new IllegalStateException("voxel " + v + " not covered by any window");
                float inv = 1f / w;
                for (int c = 0; c < channels; c++) sums[c][v] *= inv;
            }
        });
        return sums;
    }

    float[] weightSum() {
        return weightSum;
    }
}
