package io.tessera.core;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A series seen in a model's space: a regular, orthonormal grid whose axes follow the orientation the model was trained
 * in, the source frames resampled onto it (trilinear), and the way back from a label map on that grid to the exact
 * source frames (nearest neighbour at each source pixel centre). This is what lets a model trained on axial slices
 * segment a sagittal, coronal, oblique, unevenly spaced or gantry-tilted acquisition, and what keeps every result pixel
 * tied to the source frame it came from.
 *
 * <p>When the source frames already form a regular grid in the target orientation (the common axial case) the source
 * volume is used as is and no copy is made.
 */
public final class ModelSpace {
    /** The axes a model expects its input tensor's x, y, z to follow. */
    public enum Orientation {
        /** DICOM patient axes: +x patient left, +y posterior, +z superior. */
        LPS,
        /** NIfTI/ITK-SNAP world axes: +x patient right, +y anterior, +z superior (x and y of LPS reversed). */
        RAS,
        /** The acquisition's own row, column and slice-normal axes (only resampled when the frames are irregular). */
        NATIVE;

        /** {@code LPS}, {@code RAS} or {@code native}, any case; null or blank means LPS. */
        public static Orientation parse(String s) {
            if (s == null || s.isBlank()) return LPS;
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TSR-0330: unknown model orientation '" + s + "' (LPS | RAS | native)");
            }
        }
    }

    private final SourceSeries source;
    private final FrameStack frames;
    private final Grid grid;
    private final boolean identity;
    /** Source-array offset of model voxel (0,0,0) and per model axis, when the model grid is a signed axis permutation. */
    private final long[] permutation;

    private ModelSpace(SourceSeries source, FrameStack frames, Grid grid, boolean identity) {
        this.source = source;
        this.frames = frames;
        this.grid = grid;
        this.identity = identity;
        this.permutation = identity ? null : permutation(source.volume().grid(), frames, grid);
    }

    /**
     * Sagittal, coronal and flipped axial scans on a regular grid are a signed permutation of the model axes with the same
     * spacings: each model voxel is exactly one source voxel, so both directions are plain copies (no interpolation).
     * Returns {base, step along model x, y, z} in source-array elements, then {base, step along source x, y, z} in
     * model-array elements (the inverse, so both directions can write sequentially), or null.
     */
    private static long[] permutation(Grid src, FrameStack frames, Grid model) {
        if (!frames.matches(src)) return null;
        int[] n = {src.nx(), src.ny(), src.nz()};
        long[] stride = {1, src.nx(), (long) src.nx() * src.ny()};
        int[] m = {model.nx(), model.ny(), model.nz()};
        long[] out = new long[8];
        long[] modelStride = {1, model.nx(), (long) model.nx() * model.ny()};
        boolean[] used = new boolean[3];
        double[] sd = src.direction(), md = model.direction();
        for (int a = 0; a < 3; a++) {
            int match = -1;
            double sign = 0;
            for (int b = 0; b < 3; b++) {
                double dot = md[3 * a] * sd[3 * b] + md[3 * a + 1] * sd[3 * b + 1] + md[3 * a + 2] * sd[3 * b + 2];
                if (Math.abs(Math.abs(dot) - 1) < 1e-9) {
                    match = b;
                    sign = Math.signum(dot);
                }
            }
            if (match < 0 || used[match] || n[match] != m[a] || Math.abs(src.spacing()[match] - model.spacing()[a]) > 1e-9) {
                return null;
            }
            used[match] = true;
            out[1 + a] = (long) sign * stride[match];
            out[5 + match] = (long) sign * modelStride[a];
            if (sign < 0) {
                out[0] += (n[match] - 1) * stride[match];
                out[4] += (m[a] - 1) * modelStride[a];
            }
        }
        // the model origin must be a source voxel centre: the one the base offset names
        long base = out[0];
        int k = (int) (base / stride[2]), j = (int) ((base % stride[2]) / stride[1]), i = (int) (base % stride[1]);
        double[] p = src.toPatient(i, j, k), o = model.origin();
        for (int c = 0; c < 3; c++) if (Math.abs(p[c] - o[c]) > FrameStack.EXACT_MM) return null;
        return out;
    }

    public static ModelSpace of(SourceSeries source, Orientation orientation) {
        FrameStack frames = FrameStack.of(source);
        Grid src = source.volume().grid();
        double[][] axes = axes(orientation, frames);
        boolean regular = frames.matches(src);
        if (regular && sameAxes(axes, src.direction())) return new ModelSpace(source, frames, src, true);
        return new ModelSpace(source, frames, cover(frames, axes), false);
    }

    /** The regular grid the model sees. */
    public Grid grid() {
        return grid;
    }

    /** True when the model grid is the source grid itself (nothing is resampled either way). */
    public boolean isIdentity() {
        return identity;
    }

    /** True when every model voxel is exactly one source voxel (identity, or a signed axis permutation): no interpolation. */
    public boolean isExactCopy() {
        return identity || permutation != null;
    }

    public FrameStack frames() {
        return frames;
    }

    /** The source voxels on {@link #grid()}; outside the acquired frames, the source's minimum (air for CT). */
    public Volume volume() {
        Volume v = source.volume();
        if (identity) return v;
        if (permutation != null) {
            float[] in = v.voxels(), out = new float[grid.voxelCount()];
            copyPermuted(grid, permutation, (modelIndex, sourceIndex) -> out[modelIndex] = in[sourceIndex]);
            return new Volume(grid, out);
        }
        float pad = Float.POSITIVE_INFINITY;
        for (float x : v.voxels()) pad = Math.min(pad, x);
        final float fill = pad;
        float[] out = new float[grid.voxelCount()];
        float[] in = v.voxels();
        int nx = frames.columns(), ny = frames.rows(), nz = frames.frames();
        double[] d = grid.direction(), s = grid.spacing();
        double[] step = {s[0] * d[0], s[0] * d[1], s[0] * d[2]}; // one voxel along x, in patient space
        IntStream.range(0, grid.nz()).parallel().forEach(k -> {
            double[] c = new double[3];
            for (int j = 0; j < grid.ny(); j++) {
                double[] p = grid.toPatient(0, j, k);
                double x = p[0], y = p[1], z = p[2];
                int o = grid.index(0, j, k);
                for (int i = 0; i < grid.nx(); i++, x += step[0], y += step[1], z += step[2]) {
                    frames.locate(x, y, z, c);
                    out[o + i] = sample(in, nx, ny, nz, c, fill);
                }
            }
        });
        return new Volume(grid, out);
    }

    /**
     * Another series of the same study (and frame of reference) sampled at this space's voxels by patient coordinates
     * (trilinear), so a multi-series model sees, say, the FLAIR voxel at each T1 voxel; outside the other series' frames,
     * its minimum. Series in different frames of reference cannot be put together this way.
     */
    public Volume sample(SourceSeries other) {
        String a = source.frameOfReferenceUid(), b = other.frameOfReferenceUid();
        if (a == null || b == null || !a.equals(b)) {
            throw new IllegalArgumentException("series " + other.seriesInstanceUid() + " is not in the frame of reference of "
                    + source.seriesInstanceUid() + ": its voxels cannot be matched by patient coordinates");
        }
        FrameStack f = FrameStack.of(other);
        float[] in = other.volume().voxels();
        float pad = Float.POSITIVE_INFINITY;
        for (float x : in) pad = Math.min(pad, x);
        final float fill = pad;
        float[] out = new float[grid.voxelCount()];
        int nx = f.columns(), ny = f.rows(), nz = f.frames();
        IntStream.range(0, grid.nz()).parallel().forEach(k -> {
            double[] c = new double[3];
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++) {
                    double[] p = grid.toPatient(i, j, k);
                    f.locate(p[0], p[1], p[2], c);
                    out[grid.index(i, j, k)] = sample(in, nx, ny, nz, c, fill);
                }
            }
        });
        return new Volume(grid, out);
    }

    /** Labels on {@link #grid()} brought back to the source frames: the result pixel for each source pixel. */
    public LabelMap toSource(LabelMap onModelGrid) {
        if (!onModelGrid.grid().sameGeometry(grid)) throw new IllegalArgumentException("label map is not on the model grid");
        Grid src = source.volume().grid();
        if (identity) return new LabelMap(src, onModelGrid.labels());
        byte[] in = onModelGrid.labels();
        byte[] out = new byte[src.voxelCount()];
        if (permutation != null) {
            long[] inverse = java.util.Arrays.copyOfRange(permutation, 4, 8);
            copyPermuted(src, inverse, (sourceIndex, modelIndex) -> out[sourceIndex] = in[modelIndex]);
            return new LabelMap(src, out);
        }
        double[] o = grid.origin(), d = grid.direction(), s = grid.spacing();
        IntStream.range(0, frames.frames()).parallel().forEach(k -> {
            int[] c = new int[3];
            for (int j = 0; j < frames.rows(); j++) {
                for (int i = 0; i < frames.columns(); i++) {
                    double[] p = frames.toPatient(i, j, k);
                    boolean inside = true;
                    for (int a = 0; a < 3 && inside; a++) {
                        double t = ((p[0] - o[0]) * d[3 * a] + (p[1] - o[1]) * d[3 * a + 1] + (p[2] - o[2]) * d[3 * a + 2]) / s[a];
                        c[a] = (int) Math.round(t);
                        inside = c[a] >= 0 && c[a] < size(grid, a);
                    }
                    if (inside) out[src.index(i, j, k)] = in[grid.index(c[0], c[1], c[2])];
                }
            }
        });
        return new LabelMap(src, out);
    }

    private interface IndexPair {
        void copy(int written, int read);
    }

    /** Walks grid {@code g} in array order (sequential writes) and reads where {@code perm} maps each voxel. */
    private static void copyPermuted(Grid g, long[] perm, IndexPair op) {
        IntStream.range(0, g.nz()).parallel().forEach(k -> {
            for (int j = 0; j < g.ny(); j++) {
                long s = perm[0] + k * perm[3] + j * perm[2];
                int o = g.index(0, j, k);
                for (int i = 0; i < g.nx(); i++, s += perm[1]) op.copy(o + i, (int) s);
            }
        });
    }

    private static float sample(float[] in, int nx, int ny, int nz, double[] c, float fill) {
        double x = c[0], y = c[1], z = c[2];
        if (Double.isNaN(z) || x < -0.5 || y < -0.5 || x > nx - 0.5 || y > ny - 0.5) return fill;
        x = Math.max(0, Math.min(nx - 1, x));
        y = Math.max(0, Math.min(ny - 1, y));
        z = Math.max(0, Math.min(nz - 1, z));
        int x0 = Math.min((int) x, Math.max(0, nx - 2)), y0 = Math.min((int) y, Math.max(0, ny - 2));
        int z0 = Math.min((int) z, Math.max(0, nz - 2));
        int x1 = Math.min(x0 + 1, nx - 1), y1 = Math.min(y0 + 1, ny - 1), z1 = Math.min(z0 + 1, nz - 1);
        double wx = x - x0, wy = y - y0, wz = z - z0;
        int plane = nx * ny;
        double c0 = bilinear(in, z0 * plane, nx, x0, x1, y0, y1, wx, wy);
        double c1 = z1 == z0 ? c0 : bilinear(in, z1 * plane, nx, x0, x1, y0, y1, wx, wy);
        return (float) (c0 + (c1 - c0) * wz);
    }

    private static double bilinear(float[] in, int base, int nx, int x0, int x1, int y0, int y1, double wx, double wy) {
        double a = in[base + y0 * nx + x0], b = in[base + y0 * nx + x1];
        double c = in[base + y1 * nx + x0], e = in[base + y1 * nx + x1];
        double top = a + (b - a) * wx, bottom = c + (e - c) * wx;
        return top + (bottom - top) * wy;
    }

    /** Unit axis vectors x, y, z of the target orientation. */
    static double[][] axes(Orientation o, FrameStack f) {
        return switch (o) {
            case LPS -> new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            case RAS -> new double[][] {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}};
            case NATIVE -> new double[][] {f.row(), f.column(), f.normal()};
        };
    }

    private static boolean sameAxes(double[][] axes, double[] direction) {
        for (int a = 0; a < 3; a++) {
            for (int c = 0; c < 3; c++) if (Math.abs(axes[a][c] - direction[3 * a + c]) > 1e-6) return false;
        }
        return true;
    }

    /**
     * The regular grid along {@code axes} covering every source pixel centre. Each axis takes the spacing of the source
     * axis closest to it (row, column or mean slice gap), so no resolution is invented or thrown away.
     */
    static Grid cover(FrameStack f, double[][] axes) {
        double[][] srcAxes = {f.row(), f.column(), f.normal()};
        double[] srcSpacing = {f.pixelSpacingXy()[0], f.pixelSpacingXy()[1], f.meanGapMm()};
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int[] ci = {0, f.columns() - 1}, cj = {0, f.rows() - 1};
        for (int k = 0; k < f.frames(); k++) {
            for (int i : ci) {
                for (int j : cj) {
                    double[] p = f.toPatient(i, j, k);
                    for (int a = 0; a < 3; a++) {
                        double t = FrameStack.dot(p, axes[a]);
                        lo[a] = Math.min(lo[a], t);
                        hi[a] = Math.max(hi[a], t);
                    }
                }
            }
        }
        int[] n = new int[3];
        double[] spacing = new double[3];
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            int best = 0;
            for (int b = 1; b < 3; b++) {
                if (Math.abs(FrameStack.dot(axes[a], srcAxes[b])) > Math.abs(FrameStack.dot(axes[a], srcAxes[best]))) best = b;
            }
            spacing[a] = srcSpacing[best];
            n[a] = (int) Math.ceil((hi[a] - lo[a]) / spacing[a] - 1e-6) + 1; // the last voxel reaches the far corner
            for (int c = 0; c < 3; c++) origin[c] += lo[a] * axes[a][c];
        }
        double[] dir = new double[9];
        for (int a = 0; a < 3; a++) System.arraycopy(axes[a], 0, dir, 3 * a, 3);
        return new Grid(n[0], n[1], n[2], origin, spacing, dir);
    }

    private static int size(Grid g, int axis) {
        return axis == 0 ? g.nx() : axis == 1 ? g.ny() : g.nz();
    }
}
