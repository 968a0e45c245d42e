package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Brings class probabilities from the model grid back to the source grid and takes the argmax there: the result is
 * the argmax of the trilinearly interpolated probabilities (thin structures survive upsampling), but probabilities
 * are only interpolated where they can change the answer.
 *
 * <p>Why that is exact: inside one model-grid cell each difference p_c − p_k is linear along an axis and bilinear in
 * a plane, so it keeps its sign over the cell when it has that sign at the cell's corners. After the z-step (model
 * nodes interpolated only where the two slices' winners differ), the source rows that lie between the same two model
 * rows share a template: every cell whose four corners have one winner is that label throughout. Only the cells whose
 * corners disagree are worked out per row, and only over the channels that can win there (usually two). A row is
 * the template copied plus those cells, so most voxels cost one {@code arraycopy} byte. Slabs of source slices run
 * in parallel; each voxel is computed by exactly one task (deterministic).
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
        return argmax(probs, channels, nodeArg, low, src, new byte[src.voxelCount()]);
    }

    /** As above, into {@code labels} (every voxel is written). */
    static byte[] argmax(float[] probs, int channels, byte[] nodeArg, Grid low, Grid src, byte[] labels) {
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        Intervals gx = Intervals.of(mx);
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

    /**
     * One task's scratch space. Per source slice: the model plane interpolated along z lazily (stamped per slice);
     * per group of source rows that lie between the same two model rows: a template row holding every cell whose
     * four corners agree (one label), and the list of cells whose corners disagree, each with the few channels that
     * can win inside it. Each source row of the group is the template copied, then those cells worked out.
     */
    private static final class Slab {
        private final float[] probs;
        private final byte[] nodeArg, labels;
        private final AxisMap mx, my;
        private final Intervals gx;
        private final int channels, lnx, lplane, snx, sny;
        private final float[] plane;
        private final byte[] planeArg, template;
        private final int[] planeStamp;
        private final int[] cells, cellCand, cellCount, cand;
        private final float[] rowLo, rowHi, cellLine;
        private int planeNow, cellsNow;
        private int z0, z1;
        private float wz;

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
            this.planeArg = new byte[lplane];
            this.planeStamp = new int[lplane];
            this.template = new byte[snx];
            int intervals = gx.lo().length;
            this.cells = new int[intervals];
            this.cellCand = new int[intervals * channels];
            this.cellCount = new int[intervals];
            this.cand = new int[channels];
            this.rowLo = new float[channels];
            this.rowHi = new float[channels];
            this.cellLine = new float[intervals * channels * 4];
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
            int[] ylo = my.lo(), yhi = my.hi();
            for (int j = 0; j < sny; ) {
                int end = j + 1;
                while (end < sny && ylo[end] == ylo[j] && yhi[end] == yhi[j]) end++;
                group(ylo[j] * lnx, yhi[j] * lnx);
                for (; j < end; j++) row((k * sny + j) * snx, my.w()[j]);
            }
        }

        /** The template of the rows between model rows {@code y0} and {@code y1} (offsets in the plane), and its mixed cells. */
        private void group(int y0, int y1) {
            int[] start = gx.start(), lo = gx.lo(), hi = gx.hi();
            cellsNow = 0;
            int runStart = 0;
            byte runLabel = 0;
            for (int g = 0; g < lo.length; g++) {
                int l = lo[g], h = hi[g];
                byte a = planeArg[y0 + l];
                if (a == planeArg[y0 + h] && a == planeArg[y1 + l] && a == planeArg[y1 + h]) {
                    if (a != runLabel) {
                        Arrays.fill(template, runStart, start[g], runLabel);
                        runStart = start[g];
                        runLabel = a;
                    }
                    continue;
                }
                Arrays.fill(template, runStart, start[g], runLabel);
                runLabel = 0;
                runStart = start[g];
                int n = candidates(y0 + l, y0 + h, y1 + l, y1 + h, g * channels);
                cellCount[g] = n;
                line(cellsNow * channels * 4, (y0 + l) * channels, (y1 + l) * channels, (y0 + h) * channels,
                        (y1 + h) * channels, g * channels, n);
                cells[cellsNow++] = g;
            }
            Arrays.fill(template, runStart, snx, runLabel);
        }

        /**
         * The channels that can win somewhere in the cell with plane corners {@code a..d}, ascending, into
         * {@code cellCand[at..]}; returns their count. Inside the cell each p_k − p_m is bilinear in (x, y), so if
         * some m beats k at all four corners it beats k everywhere in the cell: k is dropped. The m tried are the
         * corners' winners. Usually two channels remain.
         */
        private int candidates(int a, int b, int c, int d, int at) {
            zNode(a);
            zNode(b);
            zNode(c);
            zNode(d);
            int pa = a * channels, pb = b * channels, pc = c * channels, pd = d * channels;
            int wa = planeArg[a], wb = planeArg[b], wc = planeArg[c], wd = planeArg[d];
            int n = 0;
            for (int k = 0; k < channels; k++) {
                if (k == wa || k == wb || k == wc || k == wd
                        || !(beats(wa, k, pa, pb, pc, pd) || beats(wb, k, pa, pb, pc, pd)
                                || beats(wc, k, pa, pb, pc, pd) || beats(wd, k, pa, pb, pc, pd))) {
                    cellCand[at + n++] = k;
                }
            }
            return n;
        }

        private boolean beats(int m, int k, int pa, int pb, int pc, int pd) {
            return plane[pa + m] > plane[pa + k] && plane[pb + m] > plane[pb + k] && plane[pc + m] > plane[pc + k]
                    && plane[pd + m] > plane[pd + k];
        }

        /**
         * Per candidate of a mixed cell, its value at the cell's two x ends as a line in y (start, slope): each row
         * then reads one short sequential stretch instead of four scattered plane nodes, with the same float
         * arithmetic as {@code lerp}.
         */
        private void line(int to, int l0, int l1, int h0, int h1, int at, int n) {
            for (int i = 0; i < n; i++, to += 4) {
                int c = cellCand[at + i];
                cellLine[to] = plane[l0 + c];
                cellLine[to + 1] = plane[l1 + c] - plane[l0 + c];
                cellLine[to + 2] = plane[h0 + c];
                cellLine[to + 3] = plane[h1 + c] - plane[h0 + c];
            }
        }

        private void row(int o, float wy) {
            System.arraycopy(template, 0, labels, o, snx);
            int[] start = gx.start();
            float[] w = mx.w();
            for (int q = 0; q < cellsNow; q++) {
                int g = cells[q], n = cellCount[g], at = g * channels, line = q * channels * 4;
                int a = -1, b = -1;
                float bestLo = 0, bestHi = 0;
                for (int i = 0; i < n; i++, line += 4) {
                    int c = cellCand[at + i];
                    cand[i] = c;
                    float vl = cellLine[line] + cellLine[line + 1] * wy;
                    float vh = cellLine[line + 2] + cellLine[line + 3] * wy;
                    rowLo[i] = vl;
                    rowHi[i] = vh;
                    if (a < 0 || vl > bestLo) {
                        bestLo = vl;
                        a = c;
                    }
                    if (b < 0 || vh > bestHi) {
                        bestHi = vh;
                        b = c;
                    }
                }
                int from = o + start[g], to = o + start[g + 1];
                if (a == b) {
                    for (int v = from; v < to; v++) labels[v] = (byte) a;
                    continue;
                }
                for (int v = from, i = start[g]; v < to; v++, i++) labels[v] = (byte) xArgmax(w[i], n);
            }
        }

        /** The plane's channels at node {@code v}: the two model slices interpolated along z. */
        private void zNode(int v) {
            if (planeStamp[v] == planeNow) return;
            planeStamp[v] = planeNow;
            int p = v * channels, a = (z0 + v) * channels, b = (z1 + v) * channels;
            for (int c = 0; c < channels; c++) plane[p + c] = Resampler.lerp(probs[a + c], probs[b + c], wz);
        }

        /** Argmax over the cell's candidates (ascending: ties go to the lower channel) of the row values lerped along x. */
        private int xArgmax(float w, int n) {
            int best = cand[0];
            float bestP = Resampler.lerp(rowLo[0], rowHi[0], w);
            for (int q = 1; q < n; q++) {
                float v = Resampler.lerp(rowLo[q], rowHi[q], w);
                if (v > bestP) {
                    bestP = v;
                    best = cand[q];
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
