package io.tessera.grounding;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.util.Arrays;
import java.util.List;

/**
 * The voxels of one or more organ labels, with holes closed slice by slice (a lesion the segmentation left out of its
 * organ, e.g. a soft-tissue nodule inside air-filled lung, is still inside the region), the interior (one voxel
 * eroded, so that the partial-volume rim at the organ border is never a candidate), and the organ's robust
 * intensity: median and MAD-derived sigma of the interior voxels.
 *
 * <p>Work is confined to the labels' bounding box (plus one voxel), so a small organ on a large grid stays cheap.
 */
final class OrganRegion {
    final Grid grid;
    final int[] lo = new int[3];
    final int[] hi = new int[3];   // inclusive
    final boolean[] region;        // bbox-local, x fastest
    final boolean[] interior;
    final boolean[] core;          // 26-neighbour erosion: where lesion seeds may lie
    final int bx, by, bz;
    final long voxels;
    final double medianHu;
    final double sigmaHu;
    final double zMin, zMax, xMin, xMax, yMin, yMax;   // patient extent of the region (LPS mm)
    final boolean twoLobes;

    private OrganRegion(Grid grid, int[] lo, int[] hi, boolean[] region, boolean[] interior, long voxels, double median,
                        double sigma, double[] extent, boolean twoLobes) {
        this.grid = grid;
        System.arraycopy(lo, 0, this.lo, 0, 3);
        System.arraycopy(hi, 0, this.hi, 0, 3);
        this.bx = hi[0] - lo[0] + 1;
        this.by = hi[1] - lo[1] + 1;
        this.bz = hi[2] - lo[2] + 1;
        this.region = region;
        this.interior = interior;
        this.core = erode26(region, bx, by, bz, lo[2], grid.nz());
        this.voxels = voxels;
        this.medianHu = median;
        this.sigmaHu = sigma;
        this.zMin = extent[0];
        this.zMax = extent[1];
        this.xMin = extent[2];
        this.xMax = extent[3];
        this.yMin = extent[4];
        this.yMax = extent[5];
        this.twoLobes = twoLobes;
    }

    /**
     * Null when none of {@code values} occurs in {@code labels}. Holes are closed only over voxels whose label is not
     * in {@code foreign} (other organs): lung enclosed by the liver dome in one slice stays lung, while a lesion the
     * segmentation called background or body is taken in.
     */
    static OrganRegion of(Volume ct, LabelMap labels, int[] values, boolean[] foreign, boolean twoLobes) {
        Grid g = labels.grid();
        boolean[] want = new boolean[256];
        for (int v : values) want[v] = true;
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        byte[] l = labels.labels();
        for (int k = 0, idx = 0; k < g.nz(); k++)
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++, idx++)
                    if (want[l[idx] & 0xff]) {
                        lo[0] = Math.min(lo[0], i); hi[0] = Math.max(hi[0], i);
                        lo[1] = Math.min(lo[1], j); hi[1] = Math.max(hi[1], j);
                        lo[2] = Math.min(lo[2], k); hi[2] = Math.max(hi[2], k);
                    }
        if (hi[0] < 0) return null;
        int bx = hi[0] - lo[0] + 1, by = hi[1] - lo[1] + 1, bz = hi[2] - lo[2] + 1;
        boolean[] region = new boolean[bx * by * bz];
        for (int k = 0; k < bz; k++)
            for (int j = 0; j < by; j++)
                for (int i = 0; i < bx; i++)
                    region[i + bx * (j + by * k)] = want[l[g.index(lo[0] + i, lo[1] + j, lo[2] + k)] & 0xff];
        for (int k = 0; k < bz; k++) fillHoles(region, bx, by, k);
        for (int k = 0; k < bz; k++)
            for (int j = 0; j < by; j++)
                for (int i = 0; i < bx; i++) {
                    int v = l[g.index(lo[0] + i, lo[1] + j, lo[2] + k)] & 0xff;
                    if (foreign[v] && !want[v]) region[i + bx * (j + by * k)] = false;
                }
        boolean[] interior = new boolean[region.length];
        long count = 0;
        int nInterior = 0;
        for (int k = 0; k < bz; k++)
            for (int j = 0; j < by; j++)
                for (int i = 0; i < bx; i++) {
                    int x = i + bx * (j + by * k);
                    if (!region[x]) continue;
                    count++;
                    boolean in = i > 0 && i < bx - 1 && j > 0 && j < by - 1
                            && region[x - 1] && region[x + 1] && region[x - bx] && region[x + bx]
                            && (k == 0 || region[x - bx * by]) && (k == bz - 1 || region[x + bx * by]);
                    interior[x] = in;
                    if (in) nInterior++;
                }
        float[] sample = sample(ct, region, interior, lo, bx, by, bz, nInterior);
        Arrays.sort(sample);
        double median = sample.length == 0 ? 0 : sample[sample.length / 2];
        float[] dev = new float[sample.length];
        for (int n = 0; n < sample.length; n++) dev[n] = (float) Math.abs(sample[n] - median);
        Arrays.sort(dev);
        double sigma = dev.length == 0 ? 0 : 1.4826 * dev[dev.length / 2];
        double[] a = g.toPatient(lo[0] - 0.5, lo[1] - 0.5, lo[2] - 0.5);
        double[] b = g.toPatient(hi[0] + 0.5, hi[1] + 0.5, hi[2] + 0.5);
        double[] extent = {Math.min(a[2], b[2]), Math.max(a[2], b[2]), Math.min(a[0], b[0]), Math.max(a[0], b[0]),
                Math.min(a[1], b[1]), Math.max(a[1], b[1])};
        return new OrganRegion(g, lo, hi, region, interior, count, median, sigma, extent, twoLobes);
    }

    /**
     * Voxels whose 26 neighbours are all in the region. Why 26 and not 6: partial volume reaches diagonally, and with
     * thick slices a voxel whose in-plane neighbours are all organ can still straddle an oblique border (lung base,
     * rib against liver); seeds there would grow into sheets along the border.
     */
    private static boolean[] erode26(boolean[] region, int bx, int by, int bz, int k0, int nz) {
        boolean[] out = new boolean[region.length];
        for (int k = 0; k < bz; k++)
            for (int j = 1; j < by - 1; j++)
                for (int i = 1; i < bx - 1; i++) {
                    int x = i + bx * (j + by * k);
                    if (!region[x]) continue;
                    boolean all = true;
                    for (int dk = -1; dk <= 1 && all; dk++) {
                        int kk = k + dk;
                        if (k0 + kk < 0 || k0 + kk >= nz) continue;   // beyond the scan: no evidence of a border
                        if (kk < 0 || kk >= bz) {
                            all = false;
                            break;
                        }
                        for (int dj = -1; dj <= 1 && all; dj++)
                            for (int di = -1; di <= 1 && all; di++) all = region[(i + di) + bx * ((j + dj) + by * kk)];
                    }
                    out[x] = all;
                }
        return out;
    }

    /** Interior voxel HU (all of them when the organ is thin, region voxels when it has no interior); at most ~200k. */
    private static float[] sample(Volume ct, boolean[] region, boolean[] interior, int[] lo, int bx, int by, int bz, int nInterior) {
        boolean[] from = nInterior >= 50 ? interior : region;
        int n = 0;
        for (boolean b : from) if (b) n++;
        int stride = Math.max(1, n / 200_000);
        float[] out = new float[(n + stride - 1) / stride];
        int m = 0, seen = 0;
        Grid g = ct.grid();
        for (int k = 0; k < bz; k++)
            for (int j = 0; j < by; j++)
                for (int i = 0; i < bx; i++)
                    if (from[i + bx * (j + by * k)] && seen++ % stride == 0 && m < out.length) {
                        out[m++] = ct.voxels()[g.index(lo[0] + i, lo[1] + j, lo[2] + k)];
                    }
        return Arrays.copyOf(out, m);
    }

    /** Marks background pixels of slice k that cannot reach the box border through background as region (holes). */
    private static void fillHoles(boolean[] region, int bx, int by, int k) {
        int off = bx * by * k;
        boolean[] outside = new boolean[bx * by];
        int[] queue = new int[bx * by];   // each pixel enters at most once
        int head = 0, tail = 0;
        for (int j = 0; j < by; j++)
            for (int i = 0; i < bx; i++)
                if ((i == 0 || j == 0 || i == bx - 1 || j == by - 1) && !region[off + i + bx * j]) {
                    outside[i + bx * j] = true;
                    queue[tail++] = i + bx * j;
                }
        while (head < tail) {
            int p = queue[head++];
            int i = p % bx, j = p / bx;
            if (i > 0) tail = visit(region, outside, queue, tail, off, p - 1);
            if (i < bx - 1) tail = visit(region, outside, queue, tail, off, p + 1);
            if (j > 0) tail = visit(region, outside, queue, tail, off, p - bx);
            if (j < by - 1) tail = visit(region, outside, queue, tail, off, p + bx);
        }
        for (int p = 0; p < bx * by; p++) if (!outside[p]) region[off + p] = true;
    }

    private static int visit(boolean[] region, boolean[] outside, int[] queue, int tail, int off, int n) {
        if (outside[n] || region[off + n]) return tail;
        outside[n] = true;
        queue[tail] = n;
        return tail + 1;
    }

    boolean inRegion(int i, int j, int k) {
        return inBox(i, j, k) && region[local(i, j, k)];
    }

    boolean inInterior(int i, int j, int k) {
        return inBox(i, j, k) && interior[local(i, j, k)];
    }

    boolean inBox(int i, int j, int k) {
        return i >= lo[0] && i <= hi[0] && j >= lo[1] && j <= hi[1] && k >= lo[2] && k <= hi[2];
    }

    int local(int i, int j, int k) {
        return (i - lo[0]) + bx * ((j - lo[1]) + by * (k - lo[2]));
    }

    /**
     * Whether a patient point lies in a named zone of this region. Lobes are approximated (the organ model has no lobe
     * labels): cranio-caudal thirds of the lung as seen in the image (upper/middle/lower), halves for a two-lobed
     * (left) lung; {@code rightpart}/{@code leftpart} split the organ's left-right extent 60/40 at the patient's
     * right (the right hepatic lobe is the larger). Couinaud segments {@code s1..s8} are boxes of the liver's extent:
     * right lobe (fx < 0.6) split anterior (5, 8) / posterior (6, 7) at half the antero-posterior extent and inferior
     * (5, 6) / superior (7, 8) at half the cranio-caudal extent; left lobe medial (4, fx 0.6–0.78) and lateral (2
     * superior, 3 inferior); caudate (1) the posterior third between fx 0.45 and 0.65. Real segments follow the
     * hepatic and portal veins, which the organ model does not label. A null zone is the whole region.
     */
    boolean inZone(String zone, double[] p) {
        if (zone == null) return true;
        double f = (p[2] - zMin) / Math.max(1e-6, zMax - zMin);
        double fx = (p[0] - xMin) / Math.max(1e-6, xMax - xMin);   // LPS +x is patient left
        double fy = (p[1] - yMin) / Math.max(1e-6, yMax - yMin);   // LPS +y is posterior
        boolean right = fx < 0.6, up = f >= 0.5, back = fy >= 0.5;
        return switch (zone) {
            case "s1" -> fx >= 0.45 && fx < 0.65 && fy >= 2.0 / 3;
            case "s2" -> fx >= 0.78 && up;
            case "s3" -> fx >= 0.78 && !up;
            case "s4" -> fx >= 0.6 && fx < 0.78;
            case "s5" -> right && !back && !up;
            case "s6" -> right && back && !up;
            case "s7" -> right && back && up;
            case "s8" -> right && !back && up;
            case "upper" -> twoLobes ? f >= 0.5 : f >= 2.0 / 3;
            case "lower" -> twoLobes ? f < 0.5 : f < 1.0 / 3;
            case "middle" -> f >= 1.0 / 3 && f < 2.0 / 3;
            case "rightpart" -> fx < 0.6;
            case "leftpart" -> fx >= 0.6;
            default -> true;
        };
    }

    static int[] values(List<Integer> v) {
        return v.stream().mapToInt(Integer::intValue).toArray();
    }
}
