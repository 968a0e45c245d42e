package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Brings class probabilities from the model grid back to the source grid and takes the argmax there: the result is
 * the argmax of the trilinearly interpolated probabilities (thin structures survive upsampling), but probabilities
 * are only interpolated where they can change the answer.
 *
 * <p>Why that is exact: along one axis, linear interpolation between two nodes whose argmax is the same class c keeps
 * c the argmax (p_c − p_k is linear and has one sign). So the three separable steps (z, then y, then x) interpolate
 * a node's channels only where the two nodes it lies between disagree; where they agree, the class is copied. Along
 * a source row the x-step works per model-grid interval: an interval between two agreeing nodes is one run of one
 * label (written with {@code Arrays.fill}, background not written at all), so the per-voxel work is only at
 * boundaries. Slabs of source slices run in parallel; each voxel is computed by exactly one task (deterministic).
 */
final class ProbabilityToLabels {

    /** From per-channel arrays ({@code probs[c][voxel]}). */
    static byte[] argmax(float[][] probs, Grid low, Grid src) {
        int channels = probs.length, n = probs[0].length;
        float[] interleaved = new float[n * channels];
        byte[] arg = new byte[n];
        for (int v = 0; v < n; v++) {
            for (int c = 0; c < channels; c++) interleaved[v * channels + c] = probs[c][v];
            arg[v] = (byte) argmaxAt(interleaved, v * channels, channels);
        }
        return argmax(interleaved, channels, arg, low, src);
    }

    /**
     * From interleaved values ({@code probs[voxel * channels + c]}: one voxel's channels share a cache line, which
     * the interpolation reads together) and the nodes' argmax already known ({@code nodeArg}).
     */
    static byte[] argmax(float[] probs, int channels, byte[] nodeArg, Grid low, Grid src) {
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        Intervals gx = Intervals.of(mx);
        byte[] labels = new byte[src.voxelCount()];
        int nz = src.nz();
        int slabs = Math.min(nz, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, slabs).parallel().forEach(s -> {
            Slab slab = new Slab(probs, channels, nodeArg, low, src, mx, my, gx, labels);
            for (int k = s * nz / slabs, end = (s + 1) * nz / slabs; k < end; k++) slab.slice(k, mz.lo()[k], mz.hi()[k], mz.w()[k]);
        });
        return labels;
    }

    /** Runs of source x that lie between the same two model-grid nodes: {@code start[g]} .. {@code start[g + 1]}. */
    record Intervals(int[] start, int[] lo, int[] hi) {
        static Intervals of(AxisMap m) {
            int n = m.lo().length, count = 0;
            int[] start = new int[n + 1], lo = new int[n], hi = new int[n];
            for (int i = 0; i < n; i++) {
                if (count == 0 || m.lo()[i] != lo[count - 1] || m.hi()[i] != hi[count - 1]) {
                    start[count] = i;
                    lo[count] = m.lo()[i];
                    hi[count++] = m.hi()[i];
                }
            }
            start[count] = n;
            return new Intervals(Arrays.copyOf(start, count + 1), Arrays.copyOf(lo, count), Arrays.copyOf(hi, count));
        }
    }

    /** One task's scratch space: the current source slice's plane and row, interpolated lazily (stamped per use). */
    private static final class Slab {
        private final float[] probs;
        private final byte[] nodeArg, labels;
        private final AxisMap mx, my;
        private final Intervals gx;
        private final int channels, lnx, lplane, snx, sny;
        private final float[] plane, row;
        private final byte[] planeArg, rowArg;
        private final int[] planeStamp, rowStamp, cand;
        private int planeNow, rowNow;
        private int z0, z1, y0, y1;
        private float wz, wy;

        Slab(float[] probs, int channels, byte[] nodeArg, Grid low, Grid src, AxisMap mx, AxisMap my, Intervals gx, byte[] labels) {
            this.probs = probs;
            this.nodeArg = nodeArg;
            this.labels = labels;
            this.mx = mx;
            this.my = my;
            this.gx = gx;
            this.channels = channels;
            this.lnx = low.nx();
            this.lplane = low.nx() * low.ny();
            this.snx = src.nx();
            this.sny = src.ny();
            this.plane = new float[channels * lplane];
            this.row = new float[channels * lnx];
            this.planeArg = new byte[lplane];
            this.rowArg = new byte[lnx];
            this.planeStamp = new int[lplane];
            this.rowStamp = new int[lnx];
            this.cand = new int[channels];
        }

        void slice(int k, int zlo, int zhi, float w) {
            z0 = zlo * lplane;
            z1 = zhi * lplane;
            wz = w;
            planeNow++;
            for (int v = 0; v < lplane; v++) {
                byte a = nodeArg[z0 + v];
                if (a == nodeArg[z1 + v]) {
                    planeArg[v] = a;
                } else {
                    zNode(v);
                    planeArg[v] = (byte) argmaxAt(plane, v * channels, channels);
                }
            }
            for (int j = 0; j < sny; j++) row(j, (k * sny + j) * snx);
        }

        private void row(int j, int o) {
            y0 = my.lo()[j] * lnx;
            y1 = my.hi()[j] * lnx;
            wy = my.w()[j];
            rowNow++;
            for (int x = 0; x < lnx; x++) {
                byte a = planeArg[y0 + x];
                if (a == planeArg[y1 + x]) {
                    rowArg[x] = a;
                } else {
                    yNode(x);
                    rowArg[x] = (byte) argmaxAt(row, x * channels, channels);
                }
            }
            int runStart = 0;
            byte runLabel = 0;
            int[] start = gx.start(), lo = gx.lo(), hi = gx.hi();
            for (int g = 0; g < lo.length; g++) {
                int l = lo[g], h = hi[g];
                byte a = rowArg[l];
                if (a == rowArg[h]) {
                    if (a != runLabel) {
                        if (runLabel != 0) Arrays.fill(labels, o + runStart, o + start[g], runLabel);
                        runStart = start[g];
                        runLabel = a;
                    }
                    continue;
                }
                if (runLabel != 0) Arrays.fill(labels, o + runStart, o + start[g], runLabel);
                runLabel = 0;
                runStart = start[g + 1];
                yNode(l);
                yNode(h);
                int n = candidates(l, h, rowArg[l], rowArg[h]);
                for (int i = start[g]; i < start[g + 1]; i++) labels[o + i] = (byte) xArgmax(l, h, mx.w()[i], n);
            }
            if (runLabel != 0) Arrays.fill(labels, o + runStart, o + snx, runLabel);
        }

        /** The plane's channels at node {@code v}: the two model slices interpolated along z. */
        private void zNode(int v) {
            if (planeStamp[v] == planeNow) return;
            planeStamp[v] = planeNow;
            int p = v * channels, a = (z0 + v) * channels, b = (z1 + v) * channels;
            for (int c = 0; c < channels; c++) plane[p + c] = Resampler.lerp(probs[a + c], probs[b + c], wz);
        }

        /** The row's channels at node {@code x}: the plane's rows y0 and y1 interpolated. */
        private void yNode(int x) {
            if (rowStamp[x] == rowNow) return;
            rowStamp[x] = rowNow;
            zNode(y0 + x);
            zNode(y1 + x);
            int r = x * channels, a = (y0 + x) * channels, b = (y1 + x) * channels;
            for (int c = 0; c < channels; c++) row[r + c] = Resampler.lerp(plane[a + c], plane[b + c], wy);
        }

        /**
         * The channels that can win somewhere between row nodes {@code l} (won by {@code a}) and {@code h} (won by
         * {@code b}), ascending, into {@code cand}; returns their count. On the segment, p_k − p_a is linear and not
         * positive at l, so k can beat a only if p_k ≥ p_a at h; likewise k can beat b only if p_k ≥ p_b at l.
         * Usually only a and b remain, so the per-voxel argmax compares two values instead of every channel.
         */
        private int candidates(int l, int h, int a, int b) {
            int n = 0, lo = l * channels, hi = h * channels;
            for (int c = 0; c < channels; c++) {
                if (c == a || c == b || (row[hi + c] >= row[hi + a] && row[lo + c] >= row[lo + b])) cand[n++] = c;
            }
            return n;
        }

        private int xArgmax(int l, int h, float w, int n) {
            int lo = l * channels, hi = h * channels, best = cand[0];
            float bestP = Resampler.lerp(row[lo + best], row[hi + best], w);
            for (int q = 1; q < n; q++) {
                int c = cand[q];
                float v = Resampler.lerp(row[lo + c], row[hi + c], w);
                if (v > bestP) {
                    bestP = v;
                    best = c;
                }
            }
            return best;
        }
    }

    /** First channel with the highest value among {@code values[at .. at + channels)} (ties go to the lower channel). */
    static int argmaxAt(float[] values, int at, int channels) {
        int best = 0;
        float bestP = values[at];
        for (int c = 1; c < channels; c++) {
            if (values[at + c] > bestP) {
                bestP = values[at + c];
                best = c;
            }
        }
        return best;
    }

    private ProbabilityToLabels() {}
}
