package io.tessera.core;

import java.util.Arrays;

/**
 * The exact patient-space geometry of the frames behind a {@link SourceSeries}: shared row and column directions and
 * pixel spacing, and each frame's own Image Position (Patient), parsed from its {@link SliceRef} (falling back to the
 * grid's position when a slice carries none). Unlike the series' {@link Grid}, it is exact when the frames are unevenly
 * spaced or stacked with a gantry tilt (frame origins not on the normal through the first one).
 *
 * <p>Frames are in the series' order, which the reader sorts ascending along {@code normal = row × column}.
 */
public final class FrameStack {
    /** Positions closer than this to the grid's are the grid's (DS strings carry ~1e-4 mm of rounding). */
    static final double EXACT_MM = 1e-3;

    private final int nx, ny, nz;
    private final double sx, sy, sz;
    private final double[] row, col, normal;
    private final double[][] positions;
    private final double[] along;

    private FrameStack(Grid g, double[][] positions) {
        this.nx = g.nx();
        this.ny = g.ny();
        this.nz = g.nz();
        this.sx = g.spacing()[0];
        this.sy = g.spacing()[1];
        this.sz = g.spacing()[2];
        double[] d = g.direction();
        this.row = new double[] {d[0], d[1], d[2]};
        this.col = new double[] {d[3], d[4], d[5]};
        this.normal = cross(row, col);
        this.positions = positions;
        this.along = new double[nz];
        for (int k = 0; k < nz; k++) along[k] = dot(positions[k], normal);
    }

    public static FrameStack of(SourceSeries s) {
        Grid g = s.volume().grid();
        double[][] p = new double[g.nz()][];
        for (int k = 0; k < g.nz(); k++) {
            double[] parsed = parse(s.slices().get(k).imagePositionPatient());
            p[k] = parsed != null ? parsed : g.toPatient(0, 0, k);
        }
        return new FrameStack(g, p);
    }

    /** Frames exactly on a grid's slices (no tilt, even spacing). */
    public static FrameStack of(Grid g) {
        double[][] p = new double[g.nz()][];
        for (int k = 0; k < g.nz(); k++) p[k] = g.toPatient(0, 0, k);
        return new FrameStack(g, p);
    }

    public int frames() {
        return nz;
    }

    public int columns() {
        return nx;
    }

    public int rows() {
        return ny;
    }

    public double[] row() {
        return row.clone();
    }

    public double[] column() {
        return col.clone();
    }

    public double[] normal() {
        return normal.clone();
    }

    public double[] pixelSpacingXy() {
        return new double[] {sx, sy};
    }

    /** Patient position (LPS mm) of pixel centre (i, j) of frame k. */
    public double[] toPatient(double i, double j, int k) {
        double[] p = positions[k];
        return new double[] {
            p[0] + i * sx * row[0] + j * sy * col[0],
            p[1] + i * sx * row[1] + j * sy * col[1],
            p[2] + i * sx * row[2] + j * sy * col[2]};
    }

    /** True when every frame lies exactly on {@code g}'s slice k (so the grid alone describes the frames). */
    public boolean matches(Grid g) {
        if (g.nz() != nz) return false;
        for (int k = 0; k < nz; k++) {
            double[] q = g.toPatient(0, 0, k);
            for (int a = 0; a < 3; a++) if (Math.abs(q[a] - positions[k][a]) > EXACT_MM) return false;
        }
        return true;
    }

    /** Largest distance (mm) of a frame origin from the normal line through the first frame's origin: gantry tilt. */
    public double maxInPlaneOffsetMm() {
        double max = 0;
        for (int k = 1; k < nz; k++) {
            double[] d = sub(positions[k], positions[0]);
            max = Math.max(max, Math.hypot(dot(d, row), dot(d, col)));
        }
        return max;
    }

    /** Tilt angle in degrees between the stacking direction (first to last frame) and the normal; 0 for one frame. */
    public double tiltDegrees() {
        if (nz < 2) return 0;
        double[] d = sub(positions[nz - 1], positions[0]);
        double inPlane = Math.hypot(dot(d, row), dot(d, col));
        return Math.toDegrees(Math.atan2(inPlane, Math.abs(dot(d, normal))));
    }

    /** Mean distance between frame planes along the normal; the grid's slice spacing for a single frame. */
    public double meanGapMm() {
        return nz < 2 ? sz : (along[nz - 1] - along[0]) / (nz - 1);
    }

    /** Position of each frame along the normal (mm), ascending when the reader sorted the frames. */
    public double[] alongNormal() {
        return along.clone();
    }

    /**
     * Continuous frame coordinates (i, j, k) of patient point {@code p}: k interpolates between the two frames whose
     * planes bracket p along the normal (clamped to the stack plus half a gap), i and j are in-plane coordinates
     * measured from that fractional frame's own origin (so a tilted stack is followed exactly). k is NaN outside.
     */
    void locate(double px, double py, double pz, double[] out) {
        double d = px * normal[0] + py * normal[1] + pz * normal[2];
        double k;
        if (nz == 1) {
            if (Math.abs(d - along[0]) > sz / 2) {
                out[2] = Double.NaN;
                return;
            }
            k = 0;
        } else {
            double half0 = (along[1] - along[0]) / 2, halfN = (along[nz - 1] - along[nz - 2]) / 2;
            if (d < along[0] - half0 || d > along[nz - 1] + halfN) {
                out[2] = Double.NaN;
                return;
            }
            int lo = Arrays.binarySearch(along, d);
            if (lo >= 0) k = lo;
            else {
                int ins = -lo - 1; // first index with along > d
                if (ins == 0) k = 0;
                else if (ins == nz) k = nz - 1;
                else k = ins - 1 + (d - along[ins - 1]) / (along[ins] - along[ins - 1]);
            }
        }
        int k0 = (int) Math.floor(k);
        int k1 = Math.min(k0 + 1, nz - 1);
        double w = k - k0;
        double ox = positions[k0][0] + w * (positions[k1][0] - positions[k0][0]);
        double oy = positions[k0][1] + w * (positions[k1][1] - positions[k0][1]);
        double oz = positions[k0][2] + w * (positions[k1][2] - positions[k0][2]);
        double rx = px - ox, ry = py - oy, rz = pz - oz;
        out[0] = (rx * row[0] + ry * row[1] + rz * row[2]) / sx;
        out[1] = (rx * col[0] + ry * col[1] + rz * col[2]) / sy;
        out[2] = k;
    }

    static double[] parse(String ipp) {
        if (ipp == null || ipp.isBlank()) return null;
        String[] v = ipp.trim().split("\\\\");
        if (v.length != 3) return null;
        try {
            return new double[] {Double.parseDouble(v[0].trim()), Double.parseDouble(v[1].trim()), Double.parseDouble(v[2].trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
