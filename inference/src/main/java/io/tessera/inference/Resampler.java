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
        Grid from = src.grid();
        if (from.sameGeometry(to)) return src.voxels().clone();
        AxisMap mx = AxisMap.between(from, to, 0), my = AxisMap.between(from, to, 1), mz = AxisMap.between(from, to, 2);
        Volume.Source source = src.source();
        if (source != null) return fromSlices(source, from, to, mx, my, mz);
        float[] in = src.voxels();
        float[] out = new float[to.voxelCount()];
        int nx = from.nx(), plane = from.nx() * from.ny();
        IntStream.range(0, to.nz()).parallel().forEach(k -> {
            int z0 = mz.lo()[k] * plane, z1 = mz.hi()[k] * plane;
            float wz = mz.w()[k];
            for (int j = 0; j < to.ny(); j++) {
                int y0 = my.lo()[j] * nx, y1 = my.hi()[j] * nx;
                float wy = my.w()[j];
                int o = to.index(0, j, k);
                for (int i = 0; i < to.nx(); i++) {
                    int x0 = mx.lo()[i], x1 = mx.hi()[i];
                    float wx = mx.w()[i];
                    float c00 = lerp(in[z0 + y0 + x0], in[z0 + y0 + x1], wx);
                    float c01 = lerp(in[z0 + y1 + x0], in[z0 + y1 + x1], wx);
                    float c10 = lerp(in[z1 + y0 + x0], in[z1 + y0 + x1], wx);
                    float c11 = lerp(in[z1 + y1 + x0], in[z1 + y1 + x1], wx);
                    out[o + i] = lerp(lerp(c00, c01, wy), lerp(c10, c11, wy), wz);
                }
            }
        });
        return out;
    }

    private static float[] fromSlices(Volume.Source source, Grid from, Grid to, AxisMap mx, AxisMap my, AxisMap mz) {
        float[] out = new float[to.voxelCount()];
        int nx = from.nx();
        IntStream.range(0, to.nz()).parallel().forEach(k -> {
            float wz = mz.w()[k];
            try (Volume.Slice s0 = source.slice(mz.lo()[k]); Volume.Slice s1 = source.slice(mz.hi()[k])) {
                for (int j = 0; j < to.ny(); j++) {
                    int y0 = my.lo()[j] * nx, y1 = my.hi()[j] * nx;
                    float wy = my.w()[j];
                    int o = to.index(0, j, k);
                    for (int i = 0; i < to.nx(); i++) {
                        int x0 = mx.lo()[i], x1 = mx.hi()[i];
                        float wx = mx.w()[i];
                        float c00 = lerp(s0.value(y0 + x0), s0.value(y0 + x1), wx);
                        float c01 = lerp(s0.value(y1 + x0), s0.value(y1 + x1), wx);
                        float c10 = lerp(s1.value(y0 + x0), s1.value(y0 + x1), wx);
                        float c11 = lerp(s1.value(y1 + x0), s1.value(y1 + x1), wx);
                        out[o + i] = lerp(lerp(c00, c01, wy), lerp(c10, c11, wy), wz);
                    }
                }
            }
        });
        return out;
    }

    static float lerp(float a, float b, float w) {
        return a + (b - a) * w;
    }

    private Resampler() {}
}
