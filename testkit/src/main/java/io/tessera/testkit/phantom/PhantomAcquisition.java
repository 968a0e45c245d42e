package io.tessera.testkit.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * How a phantom is scanned: the frame plane (row and column directions, size, pixel spacing) and each frame's Image
 * Position (Patient), in the order the frames are written. Frames are centred on the torso (x = y = z = 0); offsets
 * along the normal may be uneven, and a gantry tilt shifts each frame along its column direction by
 * {@code offset × tan(tilt)}, as a tilted CT gantry does.
 *
 * @param row       unit vector of increasing column index (DICOM IOP values 1-3)
 * @param column    unit vector of increasing row index (IOP values 4-6)
 * @param positions IPP of each frame, in writing order
 */
public record PhantomAcquisition(double[] row, double[] column, int columns, int rows, double pixelSpacingMm,
                                 List<double[]> positions) {
    public PhantomAcquisition {
        row = row.clone();
        column = column.clone();
        positions = List.copyOf(positions);
        if (columns <= 0 || rows <= 0 || positions.isEmpty() || !(pixelSpacingMm > 0)) {
            throw new IllegalArgumentException("TSR-0906: acquisition needs a positive size, spacing and frames");
        }
    }

    /** Axial (IOP 1\0\0\0\1\0), slices inferior to superior. */
    public static final double[][] AXIAL = {{1, 0, 0}, {0, 1, 0}};
    /** Sagittal (IOP 0\1\0\0\0\-1): rows run superior to inferior, slices from patient left to right. */
    public static final double[][] SAGITTAL = {{0, 1, 0}, {0, 0, -1}};
    /** Coronal (IOP 1\0\0\0\0\-1): rows run superior to inferior, slices from anterior to posterior. */
    public static final double[][] CORONAL = {{1, 0, 0}, {0, 0, -1}};
    /** Axial scanned feet first and viewed from above: the normal points to the feet, so slices run superior to inferior. */
    public static final double[][] AXIAL_FEET_FIRST = {{-1, 0, 0}, {0, 1, 0}};

    /**
     * Frames of {@code plane} rotated by {@code obliqueDegrees} about the plane's row direction, at {@code offsets} mm
     * along the normal, with a gantry tilt of {@code tiltDegrees}.
     */
    public static PhantomAcquisition of(double[][] plane, double obliqueDegrees, int columns, int rows, double pixelSpacingMm,
                                        double[] offsets, double tiltDegrees) {
        double[] r = unit(plane[0]);
        double[] c = unit(plane[1]);
        double[] n = cross(r, c);
        double a = Math.toRadians(obliqueDegrees);
        double[] c2 = unit(add(scale(c, Math.cos(a)), scale(n, Math.sin(a))));
        double[] n2 = cross(r, c2);
        double tan = Math.tan(Math.toRadians(tiltDegrees));
        List<double[]> ipp = new ArrayList<>();
        for (double off : offsets) {
            double[] centre = add(scale(n2, off), scale(c2, off * tan));
            ipp.add(add(centre, add(scale(r, -(columns - 1) * pixelSpacingMm / 2), scale(c2, -(rows - 1) * pixelSpacingMm / 2))));
        }
        return new PhantomAcquisition(r, c2, columns, rows, pixelSpacingMm, ipp);
    }

    /** {@code n} offsets {@code gap} mm apart, centred on 0. */
    public static double[] even(int n, double gap) {
        double[] o = new double[n];
        for (int k = 0; k < n; k++) o[k] = (k - (n - 1) / 2.0) * gap;
        return o;
    }

    /** Offsets whose gaps alternate between {@code gapA} and {@code gapB} (uneven spacing), centred on 0. */
    public static double[] alternating(int n, double gapA, double gapB) {
        double[] o = new double[n];
        for (int k = 1; k < n; k++) o[k] = o[k - 1] + (k % 2 == 1 ? gapA : gapB);
        double mid = o[n - 1] / 2;
        for (int k = 0; k < n; k++) o[k] -= mid;
        return o;
    }

    /** The slice normal {@code row × column}. */
    public double[] normal() {
        return cross(row, column);
    }

    static double[] unit(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
