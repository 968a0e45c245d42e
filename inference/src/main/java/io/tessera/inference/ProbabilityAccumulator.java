package io.tessera.inference;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Gaussian-weighted sum of the model's raw outputs (logits) over all patches on the model grid ([Z, Y, X], x fastest),
 * one float array per channel, plus the sum of weights. {@link #finish} divides by the weights, checks that every
 * value is finite and takes each voxel's argmax; {@link #probabilities} activates once per model-grid voxel, where
 * the probabilities are read.
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
     * Divides by the weight sums, checks every value and returns each voxel's argmax class. The sums are kept for
     * {@link #probabilities}.
     *
     * <p>Softmax and sigmoid are monotone per voxel, so the argmax of the blended logits is the argmax of the
     * probabilities: nothing is activated here.
     *
     * @throws NotFinite if any blended output is NaN or infinite (a voxel never covered by a window is a bug: ISE)
     */
    byte[] finish() throws NotFinite {
        byte[] arg = new byte[weightSum.length];
        finishBox(arg, 0, nz, 0, ny, 0, nx, true);
        return arg;
    }

    /** As {@link #finish}, for the nodes of slices, rows and columns {@code zFrom .. zTo} etc., into {@code arg}. */
    void finishBox(byte[] arg, int zFrom, int zTo, int yFrom, int yTo, int xFrom, int xTo, boolean parallel) throws NotFinite {
        int plane = nx * ny;
        int[] bad = new int[2]; // [0]: a NaN seen, [1]: an infinity seen (only ever set; read after the join)
        IntStream slices = IntStream.range(zFrom, zTo);
        (parallel ? slices.parallel() : slices).forEach(z -> {
            for (int y = yFrom; y < yTo; y++) for (int i = z * plane + y * nx + xFrom, end = i - xFrom + xTo; i < end; i++) {
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
                    if (s > bestV) {
                        bestV = s;
                        best = c;
                    }
                }
                arg[i] = (byte) best;
            }
        });
        if (bad[0] != 0 || bad[1] != 0) throw new NotFinite(bad[0] != 0);
    }

    /**
     * The activated probabilities ({@code softmax}, {@code sigmoid} or {@code none}) interleaved
     * ({@code [voxel * channels + c]}: one voxel's channels share a cache line, which the interpolation reads
     * together), at the corners of every model-grid cell whose corners do not all have one class in {@code nodeArg}
     * (the final classes, after component filters): {@link ProbabilityToLabels} reads probabilities nowhere else, and
     * elsewhere the values are left 0. A voxel marked in {@code removed} (a component filter took it out; may be
     * null) is background with certainty: probability 1 for channel 0, so the interpolation fades the removed
     * structure out instead of keeping its edges.
     */
    float[] probabilities(byte[] nodeArg, byte[] removed, String activation) {
        return probabilities(nodeArg, removed, activation, new float[weightSum.length * channels]);
    }

    /** As above, into {@code out} (voxels × channels; zeroed: the entries not written are not read). */
    float[] probabilities(byte[] nodeArg, byte[] removed, String activation, float[] out) {
        activateCells(nodeArg, removed, Activation.kind(activation), out, 0, cellLayers(), 0, cellRows(), 0, cellColumns(), true);
        return out;
    }

    /** Rows of cells along y (a cell spans two neighbouring model rows; one if the grid has a single row). */
    int cellRows() {
        return Math.max(1, ny - 1);
    }

    /** Columns of cells along x, as {@link #cellRows}. */
    int cellColumns() {
        return Math.max(1, nx - 1);
    }

    /** Layers of cells along z, as {@link #cellRows}. */
    int cellLayers() {
        return Math.max(1, nz - 1);
    }

    /**
     * As {@link #probabilities}, for the corners of the cells of layers {@code layerFrom .. layerTo}, rows
     * {@code rowFrom .. rowTo} and columns {@code columnFrom .. columnTo} only (a cell of row y spans model rows y and
     * y + 1, likewise along z and x); {@code kind} from {@link Activation#kind}.
     */
    void activateCells(byte[] nodeArg, byte[] removed, int kind, float[] out, int layerFrom, int layerTo, int rowFrom,
            int rowTo, int columnFrom, int columnTo, boolean parallel) {
        if (layerFrom >= layerTo || rowFrom >= rowTo || columnFrom >= columnTo) return;
        byte[] needed = cornersOfMixedCells(nodeArg, layerFrom, layerTo, rowFrom, rowTo, columnFrom, columnTo, parallel);
        int plane = nx * ny, yFrom = rowFrom, yTo = Math.min(ny, rowTo + 1), xFrom = columnFrom, xTo = Math.min(nx, columnTo + 1);
        IntStream slices = IntStream.range(layerFrom, Math.min(nz, layerTo + 1));
        (parallel ? slices.parallel() : slices).forEach(z -> {
            for (int y = yFrom; y < yTo; y++) for (int i = z * plane + y * nx + xFrom, end = i - xFrom + xTo; i < end; i++) {
                if (needed[i] != 0) activate(i, removed, kind, out);
            }
        });
    }

    /**
     * Activates every node next to (or at) a node of {@code removed}: after a component filter, the only nodes whose
     * value or whose being read can have changed.
     */
    void activateAroundRemoved(byte[] removed, int kind, float[] out) {
        int plane = nx * ny;
        for (int v = 0; v < removed.length; v++) {
            if (removed[v] == 0) continue;
            int x = v % nx, y = (v / nx) % ny, z = v / plane;
            for (int k = Math.max(0, z - 1); k <= Math.min(nz - 1, z + 1); k++)
                for (int j = Math.max(0, y - 1); j <= Math.min(ny - 1, y + 1); j++)
                    for (int i = Math.max(0, x - 1); i <= Math.min(nx - 1, x + 1); i++) activate(k * plane + j * nx + i, removed, kind, out);
        }
    }

    /** One node's probabilities from the sums (the arithmetic of finish(), so the same argmax), or certain background if removed. */
    private void activate(int i, byte[] removed, int kind, float[] out) {
        if (removed != null && removed[i] != 0) {
            java.util.Arrays.fill(out, i * channels, (i + 1) * channels, 0f);
            out[i * channels] = 1f;
            return;
        }
        float inv = 1f / weightSum[i];
        for (int c = 0; c < channels; c++) out[i * channels + c] = sums[c][i] * inv;
        Activation.voxel(kind, out, i * channels, channels);
    }

    /**
     * 1 at every corner of a cell of the given layers and rows {@code cellFrom .. cellTo} (two neighbouring nodes along each axis; one
     * along an axis of a single node) whose eight corners do not all have the same class. Cell layers may run in
     * parallel; two layers may mark a shared node, always with the same value.
     */
    private byte[] cornersOfMixedCells(byte[] arg, int layerFrom, int layerTo, int cellFrom, int cellTo, int columnFrom,
            int columnTo, boolean parallel) {
        byte[] needed = new byte[arg.length];
        int plane = nx * ny;
        IntStream layers = IntStream.range(layerFrom, layerTo);
        (parallel ? layers.parallel() : layers).forEach(z -> {
            int z0 = z * plane, z1 = Math.min(z + 1, nz - 1) * plane;
            for (int y = cellFrom; y < cellTo; y++) {
                int y0 = y * nx, y1 = Math.min(y + 1, ny - 1) * nx;
                for (int x = columnFrom; x < columnTo; x++) {
                    int x1 = Math.min(x + 1, nx - 1);
                    byte a = arg[z0 + y0 + x];
                    if (a == arg[z0 + y0 + x1] && a == arg[z0 + y1 + x] && a == arg[z0 + y1 + x1] && a == arg[z1 + y0 + x]
                            && a == arg[z1 + y0 + x1] && a == arg[z1 + y1 + x] && a == arg[z1 + y1 + x1]) {
                        continue;
                    }
                    needed[z0 + y0 + x] = needed[z0 + y0 + x1] = needed[z0 + y1 + x] = needed[z0 + y1 + x1] = 1;
                    needed[z1 + y0 + x] = needed[z1 + y0 + x1] = needed[z1 + y1 + x] = needed[z1 + y1 + x1] = 1;
                }
            }
        });
        return needed;
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
