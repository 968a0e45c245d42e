package io.tessera.core;

import java.util.Arrays;

/**
 * A regular voxel grid in DICOM patient space (LPS, millimetres).
 *
 * <p>Voxel (i, j, k) lies at {@code origin + i*spacing[0]*row + j*spacing[1]*column + k*spacing[2]*normal},
 * where {@code direction} holds the three unit axis vectors: row ({@code [0..2]}), column ({@code [3..5]})
 * and slice normal ({@code [6..8]}). Voxel arrays are indexed x fastest: {@code i + nx*(j + ny*k)}.
 */
public record Grid(int nx, int ny, int nz, double[] origin, double[] spacing, double[] direction) {

    public Grid {
        if (nx <= 0 || ny <= 0 || nz <= 0) throw new IllegalArgumentException("grid size must be positive");
        if (origin.length != 3 || spacing.length != 3 || direction.length != 9) {
            throw new IllegalArgumentException("origin/spacing need 3 values, direction 9");
        }
        for (double s : spacing) if (!(s > 0)) throw new IllegalArgumentException("spacing must be positive");
        origin = origin.clone();
        spacing = spacing.clone();
        direction = direction.clone();
    }

    /** An axis-aligned grid (identity direction). */
    public static Grid axial(int nx, int ny, int nz, double[] origin, double[] spacing) {
        return new Grid(nx, ny, nz, origin, spacing, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    public int voxelCount() {
        return Math.multiplyExact(Math.multiplyExact(nx, ny), nz);
    }

    public int index(int i, int j, int k) {
        return i + nx * (j + ny * k);
    }

    /** Volume of one voxel in millilitres. */
    public double voxelVolumeMl() {
        return spacing[0] * spacing[1] * spacing[2] / 1000.0;
    }

    /** Patient-space position (LPS mm) of a possibly fractional voxel index. */
    public double[] toPatient(double i, double j, double k) {
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = origin[a]
                    + i * spacing[0] * direction[a]
                    + j * spacing[1] * direction[3 + a]
                    + k * spacing[2] * direction[6 + a];
        }
        return p;
    }

    /** Same size, spacing and orientation (within 1e-4 mm / 1e-6). */
    public boolean sameGeometry(Grid o) {
        return nx == o.nx && ny == o.ny && nz == o.nz
                && close(origin, o.origin, 1e-4) && close(spacing, o.spacing, 1e-4) && close(direction, o.direction, 1e-6);
    }

    private static boolean close(double[] a, double[] b, double tol) {
        for (int x = 0; x < a.length; x++) if (Math.abs(a[x] - b[x]) > tol) return false;
        return true;
    }

    @Override
    public String toString() {
        return "Grid[" + nx + "x" + ny + "x" + nz + ", spacing=" + Arrays.toString(spacing) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && sameGeometry(g);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * nx + ny) + nz;
    }
}
