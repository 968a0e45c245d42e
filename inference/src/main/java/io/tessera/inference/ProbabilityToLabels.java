package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Brings class probabilities from the model grid back to the source grid and takes the argmax there: the result is
 * the argmax of the trilinearly interpolated probabilities (thin structures survive upsampling), but probabilities
 * are only interpolated where they can change the answer.
 *
 * <p>Why that is exact: inside one model-grid cell each difference p_c − p_k is trilinear, so it keeps its sign over
 * the cell when it has that sign at the cell's corners. The source voxels between the same two model slices and the
 * same two model rows share a template: every cell whose eight corners have one winner is that label throughout
 * (worked out once per pair of model slices). In each source slice only the remaining cells are looked at: their four
 * corners in the plane (the two slices interpolated along z) either agree, or the cell is worked out per row, over
 * the channels that can win there (usually two). A row is the template copied plus those cells, so most voxels
 * cost one {@code arraycopy} byte. Slabs of source slices run in parallel; each voxel is computed by exactly one task
 * (deterministic).
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
        argmaxRows(probs, channels, nodeArg, low, src, labels, 0, src.nz(), 0, groupsWithin(low, src, low.ny() + 1), 0,
                columnsWithin(low, src, low.nx() + 1), true);
        return labels;
    }

    /**
     * As above, for source slices {@code sliceFrom .. sliceTo}, in them the rows of row groups
     * {@code groupFrom .. groupTo}, and in those the voxels of column groups {@code columnFrom .. columnTo} only (a
     * row group: the source rows between the same two model rows, in order; a column group likewise along x;
     * {@link #slicesWithin}, {@link #groupsWithin} and {@link #columnsWithin} count them).
     */
    static void argmaxRows(float[] probs, int channels, byte[] nodeArg, Grid low, Grid src, byte[] labels, int sliceFrom,
            int sliceTo, int groupFrom, int groupTo, int columnFrom, int columnTo, boolean parallel) {
        if (sliceFrom >= sliceTo || groupFrom >= groupTo || columnFrom >= columnTo) return;
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        Intervals gx = Intervals.of(mx), gy = Intervals.of(my);
        int n = sliceTo - sliceFrom;
        int slabs = parallel ? Math.min(n, 4 * Runtime.getRuntime().availableProcessors()) : 1;
        IntStream tasks = IntStream.range(0, slabs);
        (parallel ? tasks.parallel() : tasks).forEach(s -> {
            Slab slab = new Slab(probs, channels, nodeArg, low, src, my, gx, gy, mx.w(), labels, groupFrom, groupTo,
                    columnFrom, columnTo);
            for (int k = sliceFrom + s * n / slabs, end = sliceFrom + (s + 1) * n / slabs; k < end; k++) {
                slab.slice(k, mz.lo()[k], mz.hi()[k], mz.w()[k]);
            }
        });
    }

    /** How many column groups (from the first) use only model columns below {@code columns}. */
    static int columnsWithin(Grid low, Grid src, int columns) {
        Intervals gx = Intervals.of(AxisMap.between(low, src, 0));
        int g = 0;
        while (g < gx.hi().length && gx.hi()[g] < columns) g++;
        return g;
    }

    /** How many source slices (from the first) use only model slices below {@code slices}. */
    static int slicesWithin(Grid low, Grid src, int slices) {
        AxisMap mz = AxisMap.between(low, src, 2);
        int k = 0;
        while (k < src.nz() && mz.hi()[k] < slices) k++;
        return k;
    }

    /** How many row groups (from the first) use only model rows below {@code rows}. */
    static int groupsWithin(Grid low, Grid src, int rows) {
        Intervals gy = Intervals.of(AxisMap.between(low, src, 1));
        int q = 0;
        while (q < gy.hi().length && gy.hi()[q] < rows) q++;
        return q;
    }

    /**
     * Works out again the source voxels of every cell with a corner in {@code removed}: after a component filter, the
     * only cells whose answer can have changed.
     */
    static void redoAroundRemoved(float[] probs, int channels, byte[] nodeArg, byte[] removed, Grid low, Grid src,
            byte[] labels) {
        int groupTo = groupsWithin(low, src, low.ny() + 1);
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        Intervals gx = Intervals.of(mx), gy = Intervals.of(my);
        int lnx = low.nx(), lny = low.ny(), plane = lnx * lny;
        // per model slice pair (by its lower slice) the ranges of row groups and column groups to redo
        int columnTo = gx.lo().length;
        int[] from = new int[low.nz()], to = new int[low.nz()], cFrom = new int[low.nz()], cTo = new int[low.nz()];
        Arrays.fill(from, Integer.MAX_VALUE);
        Arrays.fill(to, -1);
        Arrays.fill(cFrom, Integer.MAX_VALUE);
        Arrays.fill(cTo, -1);
        int[] groupsOfRow = firstGroupTouching(gy, lny, groupTo), columnsOfNode = firstGroupTouching(gx, lnx, columnTo);
        for (int v = 0; v < removed.length; v++) {
            if (removed[v] == 0) continue;
            int x = v % lnx, y = (v / lnx) % lny, z = v / plane;
            int q0 = groupsOfRow[y], q1 = lastGroupTouching(gy, y, q0, groupTo);
            int c0 = columnsOfNode[x], c1 = lastGroupTouching(gx, x, c0, columnTo);
            if (q0 >= q1 || c0 >= c1) continue;
            for (int zl = Math.max(0, z - 1); zl <= z; zl++) {
                from[zl] = Math.min(from[zl], q0);
                to[zl] = Math.max(to[zl], q1);
                cFrom[zl] = Math.min(cFrom[zl], c0);
                cTo[zl] = Math.max(cTo[zl], c1);
            }
        }
        // source slices in parallel slabs, one scratch Slab per slab (a Slab holds ~0.5 MB of templates)
        int slabs = Math.min(src.nz(), 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, slabs).parallel().forEach(s -> {
            Slab slab = null;
            for (int k = s * src.nz() / slabs, end = (s + 1) * src.nz() / slabs; k < end; k++) {
                int zl = mz.lo()[k];
                if (to[zl] < 0) continue;
                if (slab == null) {
                    slab = new Slab(probs, channels, nodeArg, low, src, my, gx, gy, mx.w(), labels, from[zl], to[zl],
                            cFrom[zl], cTo[zl]);
                } else {
                    slab.region(from[zl], to[zl], cFrom[zl], cTo[zl]);
                }
                slab.slice(k, zl, mz.hi()[k], mz.w()[k]);
            }
        });
    }

    /** Per model node along an axis, the first group (of {@code count}) that has it as a corner ({@code count} if none). */
    private static int[] firstGroupTouching(Intervals g, int nodes, int count) {
        int[] first = new int[nodes];
        Arrays.fill(first, count);
        for (int q = count - 1; q >= 0; q--) {
            first[g.lo()[q]] = q;
            first[g.hi()[q]] = Math.min(first[g.hi()[q]], q);
        }
        return first;
    }

    /** One past the last group from {@code first} on that has {@code node} as a corner (groups are in order along the axis). */
    private static int lastGroupTouching(Intervals g, int node, int first, int count) {
        int q = first;
        while (q < count && (g.lo()[q] == node || g.hi()[q] == node)) q++;
        return q;
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
     * One task's scratch space. Per pair of model slices: for each group of source rows between the same two model
     * rows, a template row holding every cell whose eight corners agree, and the other cells, each with the channels
     * that can win inside it. Per source slice and group: that template with the cells whose four plane corners (the
     * two model slices interpolated along z) agree added, and the cells left, each with its candidates' values at its
     * two x ends as lines in y. Each source row of the group is that template copied, then those cells worked out.
     */
    private static final class Slab {
        private final float[] probs;
        private final byte[] nodeArg, labels;
        private final AxisMap my;
        private final Intervals gx, gy;
        private final float[] wx;
        private final int channels, lnx, lplane, snx, sny, ngx;
        private final byte[] template, volumeTemplate;
        private final int[] volumeMixed, volumeMixedCount, volumeCand, volumeCandCount, volumeCornerAt;
        /** Per mixed cell of the current pair of model slices, each candidate's values at its eight corners, packed. */
        private float[] volumeCorner;
        private int volumeCornerUsed;
        private final int[] cells, cellCandAt, cellCount, corners, winners;
        private final byte[] cellLabel;
        private final float[] cornerValue, rowLo, rowHi, cellLine;
        private int cellsNow;
        private int z0, z1, zlo = -1, zhi = -1;
        private int groupFrom, groupTo, columnFrom, columnTo, xFrom, xTo;
        private float wz;

        Slab(float[] probs, int channels, byte[] nodeArg, Grid low, Grid src, AxisMap my, Intervals gx, Intervals gy,
                float[] wx, byte[] labels, int groupFrom, int groupTo, int columnFrom, int columnTo) {
            this.groupFrom = groupFrom;
            this.groupTo = groupTo;
            this.columnFrom = columnFrom;
            this.columnTo = columnTo;
            this.xFrom = gx.start()[columnFrom];
            this.xTo = gx.start()[columnTo];
            this.probs = probs;
            this.nodeArg = nodeArg;
            this.labels = labels;
            this.my = my;
            this.gx = gx;
            this.gy = gy;
            this.wx = wx;
            this.channels = channels;
            this.lnx = low.nx();
            this.lplane = low.nx() * low.ny();
            this.snx = src.nx();
            this.sny = src.ny();
            this.ngx = gx.lo().length;
            int ngy = gy.lo().length;
            this.template = new byte[snx];
            this.volumeTemplate = new byte[ngy * snx];
            this.volumeMixed = new int[ngy * ngx];
            this.volumeMixedCount = new int[ngy];
            this.volumeCand = new int[ngy * ngx * channels];
            this.volumeCandCount = new int[ngy * ngx];
            this.volumeCornerAt = new int[ngy * ngx];
            this.volumeCorner = new float[4096];
            this.cells = new int[ngx];
            this.cellCandAt = new int[ngx];
            this.cellCount = new int[ngx];
            this.cellLabel = new byte[ngx];
            this.corners = new int[8];
            this.winners = new int[8];
            this.cornerValue = new float[channels * 4];
            this.rowLo = new float[channels];
            this.rowHi = new float[channels];
            this.cellLine = new float[ngx * channels * 4];
        }

        /** Works on row groups {@code from .. to} and column groups {@code cFrom .. cTo} from now on (templates made again). */
        void region(int from, int to, int cFrom, int cTo) {
            if (from == groupFrom && to == groupTo && cFrom == columnFrom && cTo == columnTo) return;
            groupFrom = from;
            groupTo = to;
            columnFrom = cFrom;
            columnTo = cTo;
            xFrom = gx.start()[cFrom];
            xTo = gx.start()[cTo];
            zlo = zhi = -1;
        }

        void slice(int k, int zl, int zh, float w) {
            if (zl != zlo || zh != zhi) {
                zlo = zl;
                zhi = zh;
                z0 = zl * lplane;
                z1 = zh * lplane;
                volumeTemplates();
            }
            wz = w;
            int[] ys = gy.start();
            float[] wy = my.w();
            for (int q = groupFrom; q < groupTo; q++) {
                group(q, wy[ys[q]]);
                for (int j = ys[q]; j < ys[q + 1]; j++) row((k * sny + j) * snx, wy[j]);
            }
        }

        /**
         * For the current pair of model slices: per row group, the cells whose eight corners agree (into the group's
         * template) and the others with their candidates.
         */
        private void volumeTemplates() {
            int[] start = gx.start(), lo = gx.lo(), hi = gx.hi(), ylo = gy.lo(), yhi = gy.hi();
            volumeCornerUsed = 0;
            for (int q = groupFrom; q < groupTo; q++) {
                int y0 = ylo[q] * lnx, y1 = yhi[q] * lnx, t = q * snx, mixed = 0;
                int runStart = xFrom;
                byte runLabel = 0;
                for (int g = columnFrom; g < columnTo; g++) {
                    int l = lo[g], h = hi[g];
                    byte a = nodeArg[z0 + y0 + l];
                    if (a == nodeArg[z0 + y0 + h] && a == nodeArg[z0 + y1 + l] && a == nodeArg[z0 + y1 + h]
                            && a == nodeArg[z1 + y0 + l] && a == nodeArg[z1 + y0 + h] && a == nodeArg[z1 + y1 + l]
                            && a == nodeArg[z1 + y1 + h]) {
                        if (a != runLabel) {
                            Arrays.fill(volumeTemplate, t + runStart, t + start[g], runLabel);
                            runStart = start[g];
                            runLabel = a;
                        }
                        continue;
                    }
                    Arrays.fill(volumeTemplate, t + runStart, t + start[g], runLabel);
                    runLabel = 0;
                    runStart = start[g];
                    int cell = q * ngx + mixed;
                    volumeMixed[cell] = g;
                    int n = candidates(y0 + l, y0 + h, y1 + l, y1 + h, cell * channels);
                    volumeCandCount[cell] = n;
                    keepCorners(cell, n);
                    mixed++;
                }
                Arrays.fill(volumeTemplate, t + runStart, t + xTo, runLabel);
                volumeMixedCount[q] = mixed;
            }
        }

        /**
         * The channels that can win somewhere in the cell with plane corners {@code a..d} (in both model slices),
         * ascending, into {@code volumeCand[at..]}; returns their count. Inside the cell each p_k − p_m is trilinear,
         * so if some m beats k at all eight corners it beats k everywhere in the cell: k is dropped. The m tried are
         * the corners' winners. Usually two channels remain.
         */
        private int candidates(int a, int b, int c, int d, int at) {
            corners[0] = z0 + a;
            corners[1] = z0 + b;
            corners[2] = z0 + c;
            corners[3] = z0 + d;
            corners[4] = z1 + a;
            corners[5] = z1 + b;
            corners[6] = z1 + c;
            corners[7] = z1 + d;
            int distinct = 0;
            for (int v : corners) {
                int w = nodeArg[v];
                boolean seen = false;
                for (int i = 0; i < distinct; i++) seen |= winners[i] == w;
                if (!seen) winners[distinct++] = w;
            }
            int n = 0;
            for (int k = 0; k < channels; k++) {
                boolean beaten = false, winner = false;
                for (int i = 0; i < distinct && !beaten; i++) {
                    int m = winners[i];
                    if (m == k) {
                        winner = true;
                        break;
                    }
                    beaten = beatsEverywhere(m, k);
                }
                if (winner || !beaten) volumeCand[at + n++] = k;
            }
            return n;
        }

        /**
         * Copies the cell's candidates' values at its eight corners (in {@link #corners} order) next to each other: the
         * four source slices between the two model slices then read them from one small array instead of from eight
         * places in the whole grid's probabilities.
         */
        private void keepCorners(int cell, int n) {
            int need = volumeCornerUsed + n * 8;
            if (need > volumeCorner.length) volumeCorner = Arrays.copyOf(volumeCorner, Math.max(need, 2 * volumeCorner.length));
            volumeCornerAt[cell] = volumeCornerUsed;
            for (int i = 0; i < n; i++) {
                int ch = volumeCand[cell * channels + i], to = volumeCornerUsed + i * 8;
                for (int c = 0; c < 8; c++) volumeCorner[to + c] = probs[corners[c] * channels + ch];
            }
            volumeCornerUsed = need;
        }

        private boolean beatsEverywhere(int m, int k) {
            for (int v : corners) {
                if (!(probs[v * channels + m] > probs[v * channels + k])) return false;
            }
            return true;
        }

        /**
         * The template of row group {@code q} (its first row weighted {@code wyFirst}) in this slice, and its cells
         * left to work out per row.
         */
        private void group(int q, float wyFirst) {
            int[] start = gx.start();
            System.arraycopy(volumeTemplate, q * snx + xFrom, template, xFrom, xTo - xFrom);
            cellsNow = 0;
            for (int m = 0, count = volumeMixedCount[q]; m < count; m++) {
                int cell = q * ngx + m, g = volumeMixed[cell];
                int at = cell * channels, n = volumeCandCount[cell];
                // the candidates at the plane's four corners (a: low row, low column; b: low row, high column; c, d: the
                // high row), the two model slices lerped along z; kept per candidate as {z0: a, b, c, d, z1: a, b, c, d}
                int wa = -1, wb = -1, wc = -1, wd = -1;
                float[] vc8 = volumeCorner;
                for (int i = 0, k8 = volumeCornerAt[cell]; i < n; i++, k8 += 8) {
                    int o = i * 4;
                    float va = Resampler.lerp(vc8[k8], vc8[k8 + 4], wz);
                    float vb = Resampler.lerp(vc8[k8 + 1], vc8[k8 + 5], wz);
                    float vc = Resampler.lerp(vc8[k8 + 2], vc8[k8 + 6], wz);
                    float vd = Resampler.lerp(vc8[k8 + 3], vc8[k8 + 7], wz);
                    cornerValue[o] = va;
                    cornerValue[o + 1] = vb;
                    cornerValue[o + 2] = vc;
                    cornerValue[o + 3] = vd;
                    if (wa < 0 || va > cornerValue[wa * 4]) wa = i;
                    if (wb < 0 || vb > cornerValue[wb * 4 + 1]) wb = i;
                    if (wc < 0 || vc > cornerValue[wc * 4 + 2]) wc = i;
                    if (wd < 0 || vd > cornerValue[wd * 4 + 3]) wd = i;
                }
                if (wa == wb && wa == wc && wa == wd) {
                    Arrays.fill(template, start[g], start[g + 1], (byte) volumeCand[at + wa]);
                    continue;
                }
                // per candidate, its values at the cell's two x ends as lines in y (start, slope): same arithmetic as lerp
                int line = cellsNow * channels * 4;
                for (int i = 0, to = line; i < n; i++, to += 4) {
                    int o = i * 4;
                    cellLine[to] = cornerValue[o];
                    cellLine[to + 1] = cornerValue[o + 2] - cornerValue[o];
                    cellLine[to + 2] = cornerValue[o + 1];
                    cellLine[to + 3] = cornerValue[o + 3] - cornerValue[o + 1];
                }
                // the template holds the cell's winner at the group's first row, low end: rows that keep it need no
                // write of their own. (Testing whether all four ends of the group's first and last rows agree, to skip
                // the cell, paid off in about 1 % of cells on the benchmark: dropped.)
                int w = endWinner(line, n, wyFirst, 0);
                Arrays.fill(template, start[g], start[g + 1], (byte) volumeCand[at + w]);
                cellLabel[cellsNow] = (byte) volumeCand[at + w];
                cellCandAt[cellsNow] = at;
                cellCount[cellsNow] = n;
                cells[cellsNow++] = g;
            }
        }

        /** Index of the winner among a cell's candidates at its low ({@code end} 0) or high (2) x end of the row weighted {@code wy}, as in {@link #row}. */
        private int endWinner(int line, int n, float wy, int end) {
            int best = -1;
            float bestV = 0;
            for (int i = 0; i < n; i++, line += 4) {
                float v = cellLine[line + end] + cellLine[line + end + 1] * wy;
                if (best < 0 || v > bestV) {
                    bestV = v;
                    best = i;
                }
            }
            return best;
        }

        private void row(int o, float wy) {
            System.arraycopy(template, xFrom, labels, o + xFrom, xTo - xFrom);
            int[] start = gx.start();
            float[] w = wx;
            for (int q = 0; q < cellsNow; q++) {
                int g = cells[q], n = cellCount[q], at = cellCandAt[q], line = q * channels * 4;
                int from = o + start[g], to = o + start[g + 1];
                if (n == 2) { // the usual case: two classes meet in the cell
                    float l0 = cellLine[line] + cellLine[line + 1] * wy, h0 = cellLine[line + 2] + cellLine[line + 3] * wy;
                    float l1 = cellLine[line + 4] + cellLine[line + 5] * wy, h1 = cellLine[line + 6] + cellLine[line + 7] * wy;
                    byte c0 = (byte) volumeCand[at], c1 = (byte) volumeCand[at + 1];
                    boolean loWins1 = l1 > l0, hiWins1 = h1 > h0;
                    if (loWins1 == hiWins1) {
                        byte c = loWins1 ? c1 : c0;
                        if (c != cellLabel[q]) Arrays.fill(labels, from, to, c);
                        continue;
                    }
                    for (int v = from, i = start[g]; v < to; v++, i++) {
                        labels[v] = Resampler.lerp(l1, h1, w[i]) > Resampler.lerp(l0, h0, w[i]) ? c1 : c0;
                    }
                    continue;
                }
                int a = -1, b = -1;
                float bestLo = 0, bestHi = 0;
                for (int i = 0; i < n; i++, line += 4) {
                    float vl = cellLine[line] + cellLine[line + 1] * wy;
                    float vh = cellLine[line + 2] + cellLine[line + 3] * wy;
                    rowLo[i] = vl;
                    rowHi[i] = vh;
                    if (a < 0 || vl > bestLo) {
                        bestLo = vl;
                        a = i;
                    }
                    if (b < 0 || vh > bestHi) {
                        bestHi = vh;
                        b = i;
                    }
                }
                if (a == b) {
                    if ((byte) volumeCand[at + a] != cellLabel[q]) Arrays.fill(labels, from, to, (byte) volumeCand[at + a]);
                    continue;
                }
                for (int v = from, i = start[g]; v < to; v++, i++) labels[v] = (byte) volumeCand[at + xArgmax(w[i], n)];
            }
        }

        /** Index of the winner among the cell's candidates (ascending: ties go to the lower channel) of the row values lerped along x. */
        private int xArgmax(float w, int n) {
            int best = 0;
            float bestP = Resampler.lerp(rowLo[0], rowHi[0], w);
            for (int q = 1; q < n; q++) {
                float v = Resampler.lerp(rowLo[q], rowHi[q], w);
                if (v > bestP) {
                    bestP = v;
                    best = q;
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
