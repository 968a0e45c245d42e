package io.tessera.grounding;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lesion candidates in an organ region, found from intensity alone:
 * <ol>
 *   <li>seeds: core voxels (26-neighbour erosion of the region) deviating from the organ median by more than {@code max(5 sigma, 40 HU)} (5 sigma keeps
 *       pure-noise seeds to well under one per organ), bright and dark separately; or whose 3 × 3 in-plane mean
 *       deviates by more than {@code max(5 sigma', 40 HU)}, sigma' measured on those means, while the voxel itself
 *       deviates by half the first threshold (thin, noisy slices: averaging nine voxels cuts the noise about
 *       threefold, so a 40 HU lesion is seen at 18 HU of noise);</li>
 *   <li>6-connected seed components of at least {@value #MIN_SEEDS} voxels;</li>
 *   <li>each component grown (6-connected, inside the hole-filled region, within 3 voxels of its seeds' box) over
 *       the interior voxels (6-neighbour erosion) nearer the component's own HU (90th percentile of its seeds) than the organ's — the
 *       half-contrast boundary, which is where a partial-volume voxel's centre crosses the lesion surface. A voxel
 *       joins one candidate only; seeds another candidate's growth reached are not grown again.</li>
 * </ol>
 */
final class CandidateFinder {
    static final int MIN_SEEDS = 2;
    static final double SEED_SIGMAS = 5.0;
    static final double SEED_MIN_HU = 40.0;
    private static final int GROW_MARGIN = 3;
    private static final int[][] N6 = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};

    private CandidateFinder() {
    }

    static double seedThreshold(OrganRegion r) {
        return Math.max(SEED_SIGMAS * r.sigmaHu, SEED_MIN_HU);
    }

    static List<Candidate> find(Volume ct, OrganRegion r) {
        Grid g = ct.grid();
        float[] hu = ct.voxels();
        double thr = seedThreshold(r);
        float[] mean = inPlaneMeans(ct, r);
        double thrMean = Math.max(SEED_SIGMAS * madSigma(mean, r), SEED_MIN_HU);
        byte[] seed = new byte[r.region.length];   // +1 bright, -1 dark
        for (int k = 0; k < r.bz; k++)
            for (int j = 0; j < r.by; j++)
                for (int i = 0; i < r.bx; i++) {
                    int x = i + r.bx * (j + r.by * k);
                    if (!r.core[x]) continue;
                    double d = hu[g.index(r.lo[0] + i, r.lo[1] + j, r.lo[2] + k)] - r.medianHu;
                    double m = mean[x] - r.medianHu;
                    if (d > thr) seed[x] = 1;
                    else if (d < -thr) seed[x] = -1;
                    // The average alone would bridge two dense foci a few millimetres apart through the organ
                    // between them: the voxel itself must be at least half-way to a seed.
                    else if (m > thrMean && d > thr / 2) seed[x] = 1;
                    else if (m < -thrMean && d < -thr / 2) seed[x] = -1;
                }
        List<Candidate> out = new ArrayList<>();
        boolean[] used = new boolean[seed.length];
        boolean[] claimed = new boolean[seed.length];
        for (int x = 0; x < seed.length; x++) {
            if (seed[x] == 0 || used[x] || claimed[x]) continue;
            int[] comp = component(r, seed, used, x);
            if (comp.length < MIN_SEEDS) continue;
            out.add(describe(ct, r, grow(ct, r, comp, seed[x], claimed), seed[x] > 0));
        }
        return out;
    }

    /** Mean of each core voxel and its 8 in-plane neighbours (all in the region: the core is 26-eroded); NaN elsewhere. */
    private static float[] inPlaneMeans(Volume ct, OrganRegion r) {
        Grid g = ct.grid();
        float[] hu = ct.voxels();
        float[] out = new float[r.region.length];
        for (int k = 0; k < r.bz; k++)
            for (int j = 0; j < r.by; j++)
                for (int i = 0; i < r.bx; i++) {
                    int x = i + r.bx * (j + r.by * k);
                    if (!r.core[x]) {
                        out[x] = Float.NaN;
                        continue;
                    }
                    double sum = 0;
                    for (int dj = -1; dj <= 1; dj++)
                        for (int di = -1; di <= 1; di++) sum += hu[g.index(r.lo[0] + i + di, r.lo[1] + j + dj, r.lo[2] + k)];
                    out[x] = (float) (sum / 9);
                }
        return out;
    }

    /** 1.4826 × MAD of the in-plane means about the organ median (sampled to at most ~200k values). */
    private static double madSigma(float[] mean, OrganRegion r) {
        int n = 0;
        for (float v : mean) if (!Float.isNaN(v)) n++;
        if (n == 0) return 0;
        int stride = Math.max(1, n / 200_000);
        float[] dev = new float[(n + stride - 1) / stride];
        int m = 0, seen = 0;
        for (float v : mean) if (!Float.isNaN(v) && seen++ % stride == 0 && m < dev.length) dev[m++] = (float) Math.abs(v - r.medianHu);
        dev = Arrays.copyOf(dev, m);
        Arrays.sort(dev);
        return 1.4826 * dev[m / 2];
    }

    /** Bbox-local indices of the 6-connected seeds of the same sign as {@code start}. */
    private static int[] component(OrganRegion r, byte[] seed, boolean[] used, int start) {
        int[] buf = new int[64];
        int n = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(start);
        used[start] = true;
        while (!q.isEmpty()) {
            int p = q.poll();
            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
            buf[n++] = p;
            int i = p % r.bx, j = (p / r.bx) % r.by, k = p / (r.bx * r.by);
            for (int[] d : N6) {
                int ii = i + d[0], jj = j + d[1], kk = k + d[2];
                if (ii < 0 || jj < 0 || kk < 0 || ii >= r.bx || jj >= r.by || kk >= r.bz) continue;
                int nb = ii + r.bx * (jj + r.by * kk);
                if (!used[nb] && seed[nb] == seed[start]) {
                    used[nb] = true;
                    q.add(nb);
                }
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /** Grid indices of the grown lesion. */
    private static int[] grow(Volume ct, OrganRegion r, int[] comp, int sign, boolean[] claimed) {
        Grid g = ct.grid();
        float[] hu = ct.voxels();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, hi = {-1, -1, -1};
        float[] seedHu = new float[comp.length];
        for (int n = 0; n < comp.length; n++) {
            int p = comp[n];
            int[] c = {p % r.bx, (p / r.bx) % r.by, p / (r.bx * r.by)};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], c[a] - GROW_MARGIN);
                hi[a] = Math.max(hi[a], c[a] + GROW_MARGIN);
            }
            seedHu[n] = hu[g.index(r.lo[0] + c[0], r.lo[1] + c[1], r.lo[2] + c[2])];
        }
        Arrays.sort(seedHu);
        // The lesion's own HU from its most extreme seeds (90th percentile, robust to one noisy voxel): small lesions
        // are mostly partial-volume voxels, whose median would put the cut too close to the organ.
        double lesionHu = seedHu[sign > 0 ? (int) (0.9 * (seedHu.length - 1)) : (int) Math.ceil(0.1 * (seedHu.length - 1))];
        double cut = (lesionHu + r.medianHu) / 2;
        boolean[] in = claimed;
        int[] buf = new int[comp.length * 2];
        int n = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int p : comp) {
            in[p] = true;
            q.add(p);
        }
        while (!q.isEmpty()) {
            int p = q.poll();
            int i = p % r.bx, j = (p / r.bx) % r.by, k = p / (r.bx * r.by);
            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
            buf[n++] = g.index(r.lo[0] + i, r.lo[1] + j, r.lo[2] + k);
            for (int[] d : N6) {
                int ii = i + d[0], jj = j + d[1], kk = k + d[2];
                if (ii < Math.max(0, lo[0]) || jj < Math.max(0, lo[1]) || kk < Math.max(0, lo[2])
                        || ii > Math.min(r.bx - 1, hi[0]) || jj > Math.min(r.by - 1, hi[1]) || kk > Math.min(r.bz - 1, hi[2])) continue;
                int nb = ii + r.bx * (jj + r.by * kk);
                if (in[nb] || !r.interior[nb]) continue;
                double v = hu[g.index(r.lo[0] + ii, r.lo[1] + jj, r.lo[2] + kk)];
                if (sign > 0 ? v > cut : v < cut) {
                    in[nb] = true;
                    q.add(nb);
                }
            }
        }
        int[] out = Arrays.copyOf(buf, n);
        Arrays.sort(out);
        return out;
    }

    static Candidate describe(Volume ct, OrganRegion r, int[] voxels, boolean bright) {
        Grid g = ct.grid();
        float[] values = new float[voxels.length];
        Moments moments = new Moments();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, hi = {-1, -1, -1};
        double sum = 0;
        double[] c = new double[3];
        List<double[]> surface = new ArrayList<>();
        java.util.BitSet member = new java.util.BitSet(g.voxelCount());
        for (int x : voxels) member.set(x);
        for (int x : voxels) {
            int i = x % g.nx(), j = (x / g.nx()) % g.ny(), k = x / (g.nx() * g.ny());
            int[] v = {i, j, k};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], v[a]);
                hi[a] = Math.max(hi[a], v[a]);
            }
            double[] p = g.toPatient(i, j, k);
            for (int a = 0; a < 3; a++) c[a] += p[a];
            moments.add(p);
            values[moments.count() - 1] = ct.voxels()[x];
            sum += ct.voxels()[x];
            boolean edge = i == 0 || j == 0 || k == 0 || i == g.nx() - 1 || j == g.ny() - 1 || k == g.nz() - 1
                    || !member.get(x - 1) || !member.get(x + 1) || !member.get(x - g.nx()) || !member.get(x + g.nx())
                    || !member.get(x - g.nx() * g.ny()) || !member.get(x + g.nx() * g.ny());
            if (edge) surface.add(p);
        }
        for (int a = 0; a < 3; a++) c[a] /= voxels.length;
        double vol = voxels.length * g.voxelVolumeMl();
        double eq = Math.cbrt(6 * vol * 1000 / Math.PI);
        double max = 0;
        int stride = Math.max(1, surface.size() / 3000);
        for (int s = 0; s < surface.size(); s += stride)
            for (int t = s + stride; t < surface.size(); t += stride) {
                double[] p = surface.get(s), q = surface.get(t);
                max = Math.max(max, Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2])));
            }
        double[] sp = g.spacing();
        max += (sp[0] + sp[1] + sp[2]) / 3;
        double[] bmin = new double[3], bmax = new double[3];
        Arrays.fill(bmin, Double.MAX_VALUE);
        Arrays.fill(bmax, -Double.MAX_VALUE);
        for (int corner = 0; corner < 8; corner++) {
            double[] p = g.toPatient((corner & 1) == 0 ? lo[0] - 0.5 : hi[0] + 0.5,
                    (corner & 2) == 0 ? lo[1] - 0.5 : hi[1] + 0.5, (corner & 4) == 0 ? lo[2] - 0.5 : hi[2] + 0.5);
            for (int a = 0; a < 3; a++) {
                bmin[a] = Math.min(bmin[a], p[a]);
                bmax[a] = Math.max(bmax[a], p[a]);
            }
        }
        double mean = sum / voxels.length;
        double contrast = Math.abs(mean - r.medianHu) / Math.max(1e-6, r.sigmaHu);
        // Tissue is judged away from the partial-volume rim: the quartile and the decile on the lesion's side.
        Arrays.sort(values);
        int n = values.length - 1;
        double core = values[bright ? (int) Math.round(0.75 * n) : (int) Math.round(0.25 * n)];
        double peak = values[bright ? (int) Math.round(0.9 * n) : (int) Math.round(0.1 * n)];
        return new Candidate(voxels, vol, eq, max, c, bmin, bmax, mean, contrast, bright, core, peak,
                moments.elongation(g));
    }
}
