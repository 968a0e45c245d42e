package io.tessera.grounding;

import io.tessera.core.Grid;

/**
 * A mask's voxel count and patient-space box (voxel centres, LPS mm), and its longest axis counted as whole voxels:
 * the same measures {@link ModelGrounder} gives a model region, so SR and FHIR read them alike whatever drew it.
 */
record Extent(long voxels, double[] min, double[] max, double maxDiameterMm) {

    static Extent of(Grid g, byte[] mask) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, hi = {-1, -1, -1};
        long n = 0;
        for (int x = 0; x < mask.length; x++) {
            if (mask[x] == 0) continue;
            n++;
            int[] c = {x % g.nx(), (x / g.nx()) % g.ny(), x / (g.nx() * g.ny())};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], c[a]);
                hi[a] = Math.max(hi[a], c[a]);
            }
        }
        if (n == 0) return new Extent(0, null, null, 0);
        double[] a = g.toPatient(lo[0], lo[1], lo[2]), b = g.toPatient(hi[0], hi[1], hi[2]);
        double[] min = new double[3], max = new double[3];
        double diameter = 0;
        for (int d = 0; d < 3; d++) {
            min[d] = Math.min(a[d], b[d]);
            max[d] = Math.max(a[d], b[d]);
            diameter = Math.max(diameter, (hi[d] - lo[d] + 1) * g.spacing()[d]);
        }
        return new Extent(n, min, max, diameter);
    }
}
