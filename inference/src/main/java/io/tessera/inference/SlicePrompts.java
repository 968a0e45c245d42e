package io.tessera.inference;

import io.tessera.core.Grid;

/**
 * Prompts given in patient coordinates (LPS mm, e.g. a grounded finding's box) turned into pixel prompts on one slice
 * of a grid. A point is projected onto the slice's row and column axes; pixel {@code (i, j)}'s centre is at
 * {@code Grid.toPatient(i, j, k)}, which is {@code (i + 0.5, j + 0.5)} in {@link Prompt}'s coordinates. A point
 * farther from the slice plane than half the slice spacing belongs to another slice and is refused.
 */
public final class SlicePrompts {

    /** The box spanned by two opposite corners in patient space, on slice {@code k}. */
    public static Prompt box(Grid grid, int k, double[] cornerA, double[] cornerB) {
        double[] a = toPixel(grid, k, cornerA);
        double[] b = toPixel(grid, k, cornerB);
        return Prompt.box(a[0], a[1], b[0], b[1]);
    }

    /** {@code (x, y)} in {@link Prompt}'s pixel coordinates of a patient-space point on slice {@code k}. */
    public static double[] toPixel(Grid grid, int k, double[] lps) {
        if (k < 0 || k >= grid.nz()) throw new IllegalArgumentException("TSR-0346: slice " + k + " is outside 0.." + (grid.nz() - 1));
        double[] o = grid.toPatient(0, 0, k);
        double[] d = grid.direction();
        double[] s = grid.spacing();
        double[] rel = {lps[0] - o[0], lps[1] - o[1], lps[2] - o[2]};
        double along = rel[0] * d[6] + rel[1] * d[7] + rel[2] * d[8];
        if (Math.abs(along) > s[2] / 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "TSR-0346: point is %.2f mm from slice %d's plane (half the slice spacing is %.2f mm)", along, k, s[2] / 2));
        }
        double i = (rel[0] * d[0] + rel[1] * d[1] + rel[2] * d[2]) / s[0];
        double j = (rel[0] * d[3] + rel[1] * d[4] + rel[2] * d[5]) / s[1];
        return new double[] {i + 0.5, j + 0.5};
    }

    private SlicePrompts() {}
}
