package io.tessera.inference;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.util.stream.IntStream;

/**
 * Trilinear resampling between grids that share orientation. {@link #modelGrid} gives the grid at the model's
 * spacing that covers the same physical extent as the source (voxel edges aligned), so the step back to the
 * source grid is the exact inverse mapping.
 */
final class Resampler {

    /** Grid in the source's own axes with about {@code spacingXyz} mm voxels covering the source's extent. */
    static Grid modelGrid(Grid src, double[] spacingXyz) {
        int[] n = {src.nx(), src.ny(), src.nz()};
        int[] m = new int[3];
        double[] spacing = new double[3];
        double[] shift = new double[3]; // voxel-centre shift in mm, along each axis
        for (int a = 0; a < 3; a++) {
            double extent = n[a] * src.spacing()[a];
            m[a] = Math.max(1, (int) Math.round(extent / spacingXyz[a]));
            spacing[a] = extent / m[a];
            shift[a] = (spacing[a] - src.spacing()[a]) / 2;
        }
        double[] origin = new double[3];
        double[] d = src.direction();
        for (int a = 0; a < 3; a++) {
            origin[a] = src.origin()[a] + shift[0] * d[a] + shift[1] * d[3 + a] + shift[2] * d[6 + a];
        }
        return new Grid(m[0], m[1], m[2], origin, spacing, d);
    }

    /**
     * The source volume sampled on {@code to} (parallel over z, deterministic). A volume still in its files is read
     * only where it is sampled: the two source slices each model slice lies between (same values and arithmetic as
     * from the whole array).
     */
    static float[] resample(Volume src, Grid to) {
        if (src.grid().sameGeometry(to)) return src.voxels().clone();
        float[] out = new float[to.voxelCount()];
        resample(src, to, out, Box.ALL, true, null);
        return out;
    }

    /** A {z, y, x} box of model voxels: {@code from[a] .. to[a]} along each axis. */
    record Box(int[] from, int[] to) {
        static final Box ALL = new Box(new int[] {0, 0, 0}, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE});
    }

    /**
     * Writes into {@code out} the model voxels inside {@code box} ({@code inside}) or all the others, each then passed
     * through {@code window} ({lo, hi}: clipped and scaled to [0, 1], the manifest's CT window) unless it is null. Lets
     * the first windows' voxels be made before the rest, which is made while the model runs them.
     */
    static void resample(Volume src, Grid to, float[] out, Box box, boolean inside, float[] window) {
        Grid from = src.grid();
        AxisMap mx = AxisMap.between(from, to, 0), my = AxisMap.between(from, to, 1), mz = AxisMap.between(from, to, 2);
        Volume.Source source = src.source();
        int nx = from.nx(), plane = from.nx() * from.ny();
        int bz0 = box.from()[0], bz1 = Math.min(box.to()[0], to.nz()), by0 = box.from()[1], by1 = Math.min(box.to()[1], to.ny());
        int bx0 = box.from()[2], bx1 = Math.min(box.to()[2], to.nx());
        int kFrom = inside ? bz0 : 0, kTo = inside ? bz1 : to.nz();
        float[] in = source == null ? src.voxels() : null;
        IntStream.range(kFrom, kTo).parallel().forEach(k -> {
            boolean kIn = k >= bz0 && k < bz1;
            int jFrom = inside ? by0 : 0, jTo = inside ? by1 : to.ny();
            Volume.Slice s0 = null, s1 = null;
            try {
                Rows r;
                if (source == null) {
                    r = new ArrayRows(in, mz.lo()[k] * plane, mz.hi()[k] * plane);
                } else {
                    // only the source rows that the model rows asked for lie between
                    int rowFrom = jFrom < jTo ? my.lo()[jFrom] : 0, rowTo = jFrom < jTo ? my.hi()[jTo - 1] + 1 : 0;
                    s0 = source.slice(mz.lo()[k], rowFrom, rowTo);
                    s1 = source.slice(mz.hi()[k], rowFrom, rowTo);
                    r = new SliceRows(s0, s1);
                }
                float wz = mz.w()[k];
                for (int j = jFrom; j < jTo; j++) {
                    int o = to.index(0, j, k), y0 = my.lo()[j] * nx, y1 = my.hi()[j] * nx;
                    float wy = my.w()[j];
                    boolean boxRow = kIn && j >= by0 && j < by1;
                    if (inside) {
                        r.row(out, o, bx0, bx1, y0, y1, wy, wz, mx, window);
                    } else if (boxRow) {
                        r.row(out, o, 0, bx0, y0, y1, wy, wz, mx, window);
                        r.row(out, o, bx1, to.nx(), y0, y1, wy, wz, mx, window);
                    } else {
                        r.row(out, o, 0, to.nx(), y0, y1, wy, wz, mx, window);
                    }
                }
            } finally {
                if (s0 != null) s0.close();
                if (s1 != null) s1.close();
            }
        });
    }

    /** Model voxels {@code i0 .. i1} of one model row from the two source slices it lies between. */
    private abstract static class Rows {
        abstract float v0(int p);

        abstract float v1(int p);

        final void row(float[] out, int o, int i0, int i1, int y0, int y1, float wy, float wz, AxisMap mx, float[] window) {
            int[] lo = mx.lo(), hi = mx.hi();
            float[] w = mx.w();
            for (int i = i0; i < i1; i++) {
                int x0 = lo[i], x1 = hi[i];
                float wx = w[i];
                float c00 = lerp(v0(y0 + x0), v0(y0 + x1), wx);
                float c01 = lerp(v0(y1 + x0), v0(y1 + x1), wx);
                float c10 = lerp(v1(y0 + x0), v1(y0 + x1), wx);
                float c11 = lerp(v1(y1 + x0), v1(y1 + x1), wx);
                out[o + i] = lerp(lerp(c00, c01, wy), lerp(c10, c11, wy), wz);
            }
            if (window != null) IntensityNormalizer.window(out, o + i0, o + i1, window[0], window[1]);
        }
    }

    private static final class ArrayRows extends Rows {
        private final float[] in;
        private final int z0, z1;

        ArrayRows(float[] in, int z0, int z1) {
            this.in = in;
            this.z0 = z0;
            this.z1 = z1;
        }

        @Override
        float v0(int p) {
            return in[z0 + p];
        }

        @Override
        float v1(int p) {
            return in[z1 + p];
        }
    }

    private static final class SliceRows extends Rows {
        private final Volume.Slice s0, s1;

        SliceRows(Volume.Slice s0, Volume.Slice s1) {
            this.s0 = s0;
            this.s1 = s1;
        }

        @Override
        float v0(int p) {
            return s0.value(p);
        }

        @Override
        float v1(int p) {
            return s1.value(p);
        }
    }

    static float lerp(float a, float b, float w) {
        return a + (b - a) * w;
    }

    private Resampler() {}
}
