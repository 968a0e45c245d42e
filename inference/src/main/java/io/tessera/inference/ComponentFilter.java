package io.tessera.inference;

import io.tessera.core.Grid;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Post-processing on a label map, 6-connectivity: for the listed labels only the largest connected component is
 * kept; for every label, components smaller than {@code minVoxels} are removed (set to background).
 *
 * <p>Labelling works on runs (maximal stretches of one label along x) joined by union-find to overlapping runs
 * in the row above and the slice below: one scan of the voxels (parallel over slabs, concatenated in row order),
 * memory proportional to the number of runs rather than voxels, and a fixed order, so ties (equal sizes) always
 * resolve to the component met first.
 */
final class ComponentFilter {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static void apply(byte[] labels, Grid g, Set<Integer> largestOnly, long minVoxels) {
        if (largestOnly.isEmpty() && minVoxels <= 1) return;
        int nx = g.nx(), ny = g.ny(), nz = g.nz(), rows = ny * nz;
        Runs runs = scan(labels, nx, ny, nz);
        int[] rowFirst = runs.rowFirst;
        int[] parent = new int[runs.size];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int r = 0; r < rows; r++) {
            int j = r % ny;
            if (j > 0) join(runs, parent, rowFirst, r, r - 1, nx);
            if (r >= ny) join(runs, parent, rowFirst, r, r - ny, nx);
        }
        long[] size = new long[runs.size];
        for (int i = 0; i < runs.size; i++) size[find(parent, i)] += runs.length[i];
        long[] largest = new long[256];
        int[] largestRoot = new int[256];
        Arrays.fill(largestRoot, -1);
        for (int i = 0; i < runs.size; i++) {
            if (parent[i] == i && size[i] > largest[runs.label[i]]) {
                largest[runs.label[i]] = size[i];
                largestRoot[runs.label[i]] = i;
            }
        }
        boolean[] onlyLargest = new boolean[256]; // a plain table: no boxing in the per-run loop
        for (int label : largestOnly) if (label >= 0 && label < 256) onlyLargest[label] = true;
        for (int i = 0; i < runs.size; i++) {
            int root = find(parent, i), label = runs.label[i];
            if (size[root] < minVoxels || (onlyLargest[label] && root != largestRoot[label])) {
                Arrays.fill(labels, runs.start[i], runs.start[i] + runs.length[i], (byte) 0);
            }
        }
    }

    /**
     * The runs of every row, rows in order: slabs of slices are scanned in parallel and concatenated, so the result
     * is the same as one sequential scan. Long stretches of one label (mostly background) are skipped eight bytes
     * at a time.
     */
    private static Runs scan(byte[] labels, int nx, int ny, int nz) {
        int slabs = Math.min(nz, 4 * Runtime.getRuntime().availableProcessors());
        Runs[] part = new Runs[slabs];
        IntStream.range(0, slabs).parallel().forEach(s -> {
            int r0 = s * nz / slabs * ny, r1 = (s + 1) * nz / slabs * ny;
            Runs runs = new Runs(r1 - r0);
            for (int r = r0; r < r1; r++) {
                runs.rowFirst[r - r0] = runs.size;
                int base = r * nx;
                for (int x = 0; x < nx; ) {
                    int label = labels[base + x] & 0xff, s0 = x;
                    x = runEnd(labels, base, x, nx, label);
                    if (label != 0) runs.add(base + s0, x - s0, label);
                }
            }
            part[s] = runs;
        });
        int total = 0;
        for (Runs p : part) total += p.size;
        Runs all = new Runs(ny * nz);
        all.start = new int[total];
        all.length = new int[total];
        all.label = new short[total];
        int at = 0, row = 0;
        for (Runs p : part) {
            System.arraycopy(p.start, 0, all.start, at, p.size);
            System.arraycopy(p.length, 0, all.length, at, p.size);
            System.arraycopy(p.label, 0, all.label, at, p.size);
            for (int r = 0; r < p.rowFirst.length - 1; r++) all.rowFirst[row++] = at + p.rowFirst[r];
            at += p.size;
        }
        all.size = total;
        all.rowFirst[row] = total;
        return all;
    }

    /** First x at or after {@code x} in the row at {@code base} whose label differs from {@code label}, or {@code nx}. */
    private static int runEnd(byte[] labels, int base, int x, int nx, int label) {
        long pattern = (label & 0xffL) * 0x0101010101010101L;
        while (x + 8 <= nx && (long) LONGS.get(labels, base + x) == pattern) x += 8;
        while (x < nx && (labels[base + x] & 0xff) == label) x++;
        return x;
    }

    /** Unions runs of row {@code r} with overlapping runs of the same label in row {@code q} (two-pointer sweep). */
    private static void join(Runs runs, int[] parent, int[] rowFirst, int r, int q, int nx) {
        int a = rowFirst[r], aEnd = rowFirst[r + 1], b = rowFirst[q], bEnd = rowFirst[q + 1];
        int aBase = r * nx, bBase = q * nx;
        while (a < aEnd && b < bEnd) {
            int as = runs.start[a] - aBase, ae = as + runs.length[a];
            int bs = runs.start[b] - bBase, be = bs + runs.length[b];
            if (as < be && bs < ae && runs.label[a] == runs.label[b]) union(parent, a, b);
            if (ae < be) a++;
            else b++;
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** The smaller index becomes the root, so roots (and tie-breaks) follow scan order. */
    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
    }

    /** Growable columns: start voxel index, length and label of each run; {@code rowFirst[r]}: first run of row r. */
    private static final class Runs {
        int[] start = new int[1024], length = new int[1024];
        short[] label = new short[1024];
        final int[] rowFirst;
        int size;

        Runs(int rows) {
            rowFirst = new int[rows + 1];
        }

        void add(int s, int len, int l) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                length = Arrays.copyOf(length, size * 2);
                label = Arrays.copyOf(label, size * 2);
            }
            start[size] = s;
            length[size] = len;
            label[size++] = (short) l;
        }
    }

    private ComponentFilter() {}
}
