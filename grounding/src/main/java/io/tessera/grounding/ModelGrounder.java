package io.tessera.grounding;

import io.tessera.core.Assertion;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.ReportFinding;
import io.tessera.core.Volume;
import io.tessera.inference.GroundingRunner;
import io.tessera.inference.InferenceException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grounds findings with a {@code task: grounding} model instead of rules: the phrase and the image go into the model,
 * its heatmap (on the source grid) is thresholded at the manifest's threshold, and the largest 6-connected region is
 * the finding's mask. Nothing above the threshold means not grounded, with the peak probability in the reason —
 * never a region placed at random. Negated findings (assertion ABSENT, decided by the report parser) are not run, as in
 * {@link Grounder}; {@link #region} runs the model on any phrase, which is how the accuracy test checks that the model
 * itself returns nothing for "No focal splenic lesion".
 */
public final class ModelGrounder {
    private static final int[][] N6 = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    private final GroundingRunner runner;

    public ModelGrounder(GroundingRunner runner) {
        this.runner = runner;
    }

    /** One result per finding that is not negated, in report order, with method {@code model:<name> <version>}. */
    public List<GroundedFinding> ground(Volume ct, List<ParsedFinding> findings, String studyUid, int studyVersion)
            throws InferenceException {
        List<GroundedFinding> out = new ArrayList<>();
        for (ParsedFinding f : findings) {
            ReportFinding rf = f.finding();
            if (rf.assertion() == Assertion.ABSENT) continue;
            out.add(ground(ct, rf, Grounder.trackingId(rf), Grounder.trackingUid(studyUid, studyVersion, rf.index())));
        }
        return out;
    }

    GroundedFinding ground(Volume ct, ReportFinding rf, String id, String uid) throws InferenceException {
        Region r = region(ct, rf.phrase());
        if (r.mask == null) {
            return GroundedFinding.notGrounded(rf, id, uid, String.format(Locale.ROOT,
                    "%s: no voxel above %.2f (peak %.2f)", runner.method(), runner.threshold(), r.peak));
        }
        return new GroundedFinding(rf, id, uid, true, null, r.mask, r.bboxMinLps, r.bboxMaxLps, r.peak, r.volumeMl,
                r.maxDiameterMm, runner.method());
    }

    /** The model's region for {@code phrase}: mask null when no voxel crosses the threshold. */
    public Region region(Volume ct, String phrase) throws InferenceException {
        Volume heat = runner.heatmap(ct, phrase);
        float[] p = heat.voxels();
        float th = (float) runner.threshold();
        float peak = 0;
        for (float v : p) peak = Math.max(peak, v);
        if (peak < th) return new Region(null, peak, null, null, 0, 0);
        Grid g = ct.grid();
        int[] best = new int[0];
        boolean[] seen = new boolean[p.length];
        for (int x = 0; x < p.length; x++) {
            if (p[x] < th || seen[x]) continue;
            int[] comp = component(g, p, th, seen, x);
            if (comp.length > best.length) best = comp;
        }
        byte[] mask = new byte[p.length];
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, hi = {-1, -1, -1};
        float regionPeak = 0;
        for (int x : best) {
            mask[x] = 1;
            regionPeak = Math.max(regionPeak, p[x]);
            int[] c = {x % g.nx(), (x / g.nx()) % g.ny(), x / (g.nx() * g.ny())};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], c[a]);
                hi[a] = Math.max(hi[a], c[a]);
            }
        }
        double[] a = g.toPatient(lo[0], lo[1], lo[2]), b = g.toPatient(hi[0], hi[1], hi[2]);
        double[] min = new double[3], max = new double[3];
        double diameter = 0;
        for (int d = 0; d < 3; d++) {
            min[d] = Math.min(a[d], b[d]);
            max[d] = Math.max(a[d], b[d]);
            // voxel-centre extent plus one voxel along the axis: the longest axis of the box
            diameter = Math.max(diameter, (hi[d] - lo[d] + 1) * g.spacing()[d]);
        }
        return new Region(new LabelMap(g, mask), regionPeak, min, max, best.length * g.voxelVolumeMl(), diameter);
    }

    private static int[] component(Grid g, float[] p, float th, boolean[] seen, int start) {
        int[] buf = new int[64];
        int n = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(start);
        seen[start] = true;
        while (!q.isEmpty()) {
            int x = q.poll();
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, n * 2);
            buf[n++] = x;
            int i = x % g.nx(), j = (x / g.nx()) % g.ny(), k = x / (g.nx() * g.ny());
            for (int[] d : N6) {
                int ii = i + d[0], jj = j + d[1], kk = k + d[2];
                if (ii < 0 || jj < 0 || kk < 0 || ii >= g.nx() || jj >= g.ny() || kk >= g.nz()) continue;
                int nb = g.index(ii, jj, kk);
                if (!seen[nb] && p[nb] >= th) {
                    seen[nb] = true;
                    q.add(nb);
                }
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    /** A model region: the largest connected component above the threshold, or only the peak when there is none. */
    public record Region(LabelMap mask, double peak, double[] bboxMinLps, double[] bboxMaxLps, double volumeMl,
                         double maxDiameterMm) {}
}
