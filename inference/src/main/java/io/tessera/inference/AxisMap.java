package io.tessera.inference;

import io.tessera.core.Grid;

/**
 * Linear interpolation weights along one axis between two grids that share orientation: for each destination
 * index, the two source neighbours {@code lo}, {@code hi} and the weight {@code w} of {@code hi}. Positions outside
 * the source are clamped to its edge voxels.
 */
record AxisMap(int[] lo, int[] hi, float[] w) {

    static AxisMap between(Grid from, Grid to, int axis) {
        int n = size(from, axis);
        int m = size(to, axis);
        // offset of to's origin from from's origin along the shared axis, in mm
        double offset = 0;
        for (int a = 0; a < 3; a++) offset += (to.origin()[a] - from.origin()[a]) * from.direction()[3 * axis + a];
        int[] lo = new int[m];
        int[] hi = new int[m];
        float[] w = new float[m];
        for (int t = 0; t < m; t++) {
            double c = (offset + t * to.spacing()[axis]) / from.spacing()[axis];
            c = Math.max(0, Math.min(n - 1, c));
            int l = Math.min((int) Math.floor(c), Math.max(0, n - 2));
            lo[t] = l;
            hi[t] = Math.min(l + 1, n - 1);
            w[t] = (float) (c - l);
        }
        return new AxisMap(lo, hi, w);
    }

    static int size(Grid g, int axis) {
        return switch (axis) {
            case 0 -> g.nx();
            case 1 -> g.ny();
            default -> g.nz();
        };
    }
}
