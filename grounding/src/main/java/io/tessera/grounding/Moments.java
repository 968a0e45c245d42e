package io.tessera.grounding;

import io.tessera.core.Grid;

/**
 * Second moments of a set of points (voxel centres, patient mm) and the elongation they imply. Each voxel also counts
 * as its own box (variance s²/12 along each grid axis), so a one-slice candidate on 5 mm slices is not a flat sheet.
 */
final class Moments {
    private int n;
    private final double[] s = new double[3];
    private final double[] ss = new double[6];   // xx, yy, zz, xy, xz, yz

    void add(double[] p) {
        n++;
        for (int a = 0; a < 3; a++) s[a] += p[a];
        ss[0] += p[0] * p[0];
        ss[1] += p[1] * p[1];
        ss[2] += p[2] * p[2];
        ss[3] += p[0] * p[1];
        ss[4] += p[0] * p[2];
        ss[5] += p[1] * p[2];
    }

    int count() {
        return n;
    }

    /** sqrt(largest / smallest eigenvalue) of the covariance plus the voxel box term. */
    double elongation(Grid g) {
        if (n == 0) return 1;
        double[] m = {s[0] / n, s[1] / n, s[2] / n};
        double xx = ss[0] / n - m[0] * m[0], yy = ss[1] / n - m[1] * m[1], zz = ss[2] / n - m[2] * m[2];
        double xy = ss[3] / n - m[0] * m[1], xz = ss[4] / n - m[0] * m[2], yz = ss[5] / n - m[1] * m[2];
        double[] d = g.direction(), sp = g.spacing();
        for (int a = 0; a < 3; a++) {   // box variance along each grid axis, rotated into patient space
            double v = sp[a] * sp[a] / 12, ux = d[3 * a], uy = d[3 * a + 1], uz = d[3 * a + 2];
            xx += v * ux * ux;
            yy += v * uy * uy;
            zz += v * uz * uz;
            xy += v * ux * uy;
            xz += v * ux * uz;
            yz += v * uy * uz;
        }
        double[] e = eigenvalues(xx, yy, zz, xy, xz, yz);
        return Math.sqrt(e[0] / Math.max(1e-9, e[2]));
    }

    /** Eigenvalues of a symmetric 3 × 3 matrix, largest first (closed form, trigonometric). */
    static double[] eigenvalues(double a, double b, double c, double d, double e, double f) {
        double p1 = d * d + e * e + f * f;
        if (p1 < 1e-12) {
            double[] v = {a, b, c};
            java.util.Arrays.sort(v);
            return new double[] {v[2], v[1], v[0]};
        }
        double q = (a + b + c) / 3;
        double p2 = (a - q) * (a - q) + (b - q) * (b - q) + (c - q) * (c - q) + 2 * p1;
        double p = Math.sqrt(p2 / 6);
        double b11 = (a - q) / p, b22 = (b - q) / p, b33 = (c - q) / p, b12 = d / p, b13 = e / p, b23 = f / p;
        double det = b11 * (b22 * b33 - b23 * b23) - b12 * (b12 * b33 - b23 * b13) + b13 * (b12 * b23 - b22 * b13);
        double r = Math.max(-1, Math.min(1, det / 2));
        double phi = Math.acos(r) / 3;
        double e1 = q + 2 * p * Math.cos(phi), e3 = q + 2 * p * Math.cos(phi + 2 * Math.PI / 3);
        return new double[] {e1, 3 * q - e1 - e3, e3};
    }
}
