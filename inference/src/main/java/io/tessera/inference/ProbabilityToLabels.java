package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.stream.IntStream;

/**
 * Brings class probabilities from the model grid back to the source grid and takes the argmax there.
 * Probabilities, not labels, are interpolated (trilinear) so thin structures survive upsampling. It streams one
 * source slice at a time: only one interpolated low-resolution plane per channel is held per thread, never a
 * full-resolution C-channel array.
 */
final class ProbabilityToLabels {

    static byte[] argmax(float[][] probs, Grid low, Grid src) {
        int channels = probs.length;
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        int lnx = low.nx(), lplane = low.nx() * low.ny();
        int snx = src.nx(), sny = src.ny();
        byte[] labels = new byte[src.voxelCount()];
        IntStream.range(0, src.nz()).parallel().forEach(k -> {
            int z0 = mz.lo()[k] * lplane, z1 = mz.hi()[k] * lplane;
            float wz = mz.w()[k];
            float[][] plane = new float[channels][lplane];
            for (int c = 0; c < channels; c++) {
                float[] p = probs[c], out = plane[c];
                for (int v = 0; v < lplane; v++) out[v] = Resampler.lerp(p[z0 + v], p[z1 + v], wz);
            }
            // Linear interpolation between two nodes with the same argmax class c keeps c the argmax (p_c - p_k is
            // linear and has one sign), so values are only interpolated where neighbouring nodes disagree: first
            // between the plane's rows (y), then along x within a source row.
            int[] planeArg = new int[lplane];
            for (int v = 0; v < lplane; v++) planeArg[v] = argmaxAt(plane, v);
            float[][] row = new float[channels][lnx];
            int[] nodeArg = new int[lnx];
            boolean[] rowDone = new boolean[lnx];
            for (int j = 0; j < sny; j++) {
                int y0 = my.lo()[j] * lnx, y1 = my.hi()[j] * lnx;
                float wy = my.w()[j];
                for (int x = 0; x < lnx; x++) {
                    rowDone[x] = false;
                    if (planeArg[y0 + x] == planeArg[y1 + x]) {
                        nodeArg[x] = planeArg[y0 + x];
                    } else {
                        lerpNode(plane, row, x, y0, y1, wy);
                        rowDone[x] = true;
                        nodeArg[x] = argmaxAt(row, x);
                    }
                }
                int o = (k * sny + j) * snx;
                for (int i = 0; i < snx; i++) {
                    int x0 = mx.lo()[i], x1 = mx.hi()[i];
                    if (nodeArg[x0] == nodeArg[x1]) {
                        labels[o + i] = (byte) nodeArg[x0];
                        continue;
                    }
                    if (!rowDone[x0]) {
                        lerpNode(plane, row, x0, y0, y1, wy);
                        rowDone[x0] = true;
                    }
                    if (!rowDone[x1]) {
                        lerpNode(plane, row, x1, y0, y1, wy);
                        rowDone[x1] = true;
                    }
                    float wx = mx.w()[i];
                    int best = 0;
                    float bestP = Resampler.lerp(row[0][x0], row[0][x1], wx);
                    for (int c = 1; c < channels; c++) {
                        float v = Resampler.lerp(row[c][x0], row[c][x1], wx);
                        if (v > bestP) {
                            bestP = v;
                            best = c;
                        }
                    }
                    labels[o + i] = (byte) best;
                }
            }
        });
        return labels;
    }

    /** Row value of node {@code x}, every channel: plane rows y0 and y1 interpolated. */
    private static void lerpNode(float[][] plane, float[][] row, int x, int y0, int y1, float wy) {
        for (int c = 0; c < plane.length; c++) row[c][x] = Resampler.lerp(plane[c][y0 + x], plane[c][y1 + x], wy);
    }

    /** First channel with the highest value (ties go to the lower channel, as in the per-voxel loop). */
    private static int argmaxAt(float[][] row, int x) {
        int best = 0;
        float bestP = row[0][x];
        for (int c = 1; c < row.length; c++) {
            if (row[c][x] > bestP) {
                bestP = row[c][x];
                best = c;
            }
        }
        return best;
    }

    private ProbabilityToLabels() {}
}
