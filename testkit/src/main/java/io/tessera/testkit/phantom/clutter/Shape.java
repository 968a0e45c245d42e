package io.tessera.testkit.phantom.clutter;

/**
 * A solid in patient space (LPS mm) with its bounding box computed once, so that the cheap box test comes first for the
 * millions of samples of one phantom. {@link #depth} is the distance inside the surface (negative outside), which
 * lets a tube have a wall.
 */
abstract class Shape {
    final double[] min = new double[3];
    final double[] max = new double[3];

    /** Signed distance inside the surface: > 0 inside (mm), ≤ 0 outside. */
    abstract double depth(double x, double y, double z);

    final boolean near(double x, double y, double z, double margin) {
        return x >= min[0] - margin && x <= max[0] + margin && y >= min[1] - margin && y <= max[1] + margin
                && z >= min[2] - margin && z <= max[2] + margin;
    }

    final boolean contains(double x, double y, double z) {
        return near(x, y, z, 0) && depth(x, y, z) > 0;
    }

    /** A ball. */
    static final class Ball extends Shape {
        private final double cx, cy, cz, r;

        Ball(double[] c, double r) {
            this.cx = c[0];
            this.cy = c[1];
            this.cz = c[2];
            this.r = r;
            for (int a = 0; a < 3; a++) {
                min[a] = c[a] - r;
                max[a] = c[a] + r;
            }
        }

        @Override
        double depth(double x, double y, double z) {
            return r - Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz));
        }
    }

    /** An axis-aligned ellipsoid; depth is approximate (scaled by the smallest semi-axis), enough for a fat pocket. */
    static final class Blob extends Shape {
        private final double[] c, a;

        Blob(double[] c, double[] a) {
            this.c = c.clone();
            this.a = a.clone();
            for (int d = 0; d < 3; d++) {
                min[d] = c[d] - a[d];
                max[d] = c[d] + a[d];
            }
        }

        @Override
        double depth(double x, double y, double z) {
            double u = (x - c[0]) / a[0], v = (y - c[1]) / a[1], w = (z - c[2]) / a[2];
            return (1 - Math.sqrt(u * u + v * v + w * w)) * Math.min(a[0], Math.min(a[1], a[2]));
        }
    }

    /** A tube of radius r along a polyline (bowel loop, vessel branch). */
    static final class Tube extends Shape {
        private final double[][] p;
        private final double r;

        Tube(double[][] points, double r) {
            this.p = points.clone();
            this.r = r;
            for (int d = 0; d < 3; d++) {
                min[d] = Double.MAX_VALUE;
                max[d] = -Double.MAX_VALUE;
                for (double[] q : p) {
                    min[d] = Math.min(min[d], q[d] - r);
                    max[d] = Math.max(max[d], q[d] + r);
                }
            }
        }

        @Override
        double depth(double x, double y, double z) {
            double best = Double.MAX_VALUE;
            for (int s = 0; s + 1 < p.length; s++) best = Math.min(best, segment(p[s], p[s + 1], x, y, z));
            return r - Math.sqrt(best);
        }

        private static double segment(double[] a, double[] b, double x, double y, double z) {
            double dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
            double len = dx * dx + dy * dy + dz * dz;
            double t = len == 0 ? 0 : ((x - a[0]) * dx + (y - a[1]) * dy + (z - a[2]) * dz) / len;
            t = Math.max(0, Math.min(1, t));
            double px = a[0] + t * dx - x, py = a[1] + t * dy - y, pz = a[2] + t * dz - z;
            return px * px + py * py + pz * pz;
        }
    }
}
