package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    private static final double[] TILTED = {0.8, 0.6, 0, -0.6, 0.8, 0, 0, 0, 1};

    @Test
    void model_grid_covers_the_same_physical_extent_in_the_volume_axes() {
        Grid src = new Grid(100, 50, 30, new double[] {10, 20, 30}, new double[] {0.7, 0.9, 2.5}, TILTED);
        Grid low = Resampler.modelGrid(src, new double[] {2, 2, 2});
        assertEquals(35, low.nx());
        assertEquals(23, low.ny());
        assertEquals(38, low.nz());
        assertEquals(100 * 0.7, low.nx() * low.spacing()[0], 1e-9);
        assertEquals(30 * 2.5, low.nz() * low.spacing()[2], 1e-9);
        // first voxel edges coincide: src edge = origin - s/2 along each axis
        double[] srcEdge = src.toPatient(-0.5, -0.5, -0.5), lowEdge = low.toPatient(-0.5, -0.5, -0.5);
        for (int a = 0; a < 3; a++) assertEquals(srcEdge[a], lowEdge[a], 1e-9);
    }

    @Test
    void round_trip_through_the_model_grid_keeps_a_smooth_image() {
        Grid src = new Grid(60, 50, 24, new double[] {0, 0, 0}, new double[] {0.8, 0.8, 2.5}, TILTED);
        Volume v = Volume.zeros(src);
        for (int k = 0; k < src.nz(); k++)
            for (int j = 0; j < src.ny(); j++)
                for (int i = 0; i < src.nx(); i++) v.voxels()[src.index(i, j, k)] = smooth(src.toPatient(i, j, k));
        Grid low = Resampler.modelGrid(src, new double[] {2, 2, 2});
        float[] down = Resampler.resample(v, low);
        // sampled values match the function at the model grid's own positions (away from the clamped border)
        double maxErr = 0;
        for (int k = 2; k < low.nz() - 2; k++)
            for (int j = 2; j < low.ny() - 2; j++)
                for (int i = 2; i < low.nx() - 2; i++) {
                    maxErr = Math.max(maxErr, Math.abs(down[low.index(i, j, k)] - smooth(low.toPatient(i, j, k))));
                }
        assertEquals(0, maxErr, 2.0);
        float[] back = Resampler.resample(new Volume(low, down), src);
        double sum = 0;
        int n = 0;
        for (int k = 3; k < src.nz() - 3; k++)
            for (int j = 5; j < src.ny() - 5; j++)
                for (int i = 5; i < src.nx() - 5; i++) {
                    int x = src.index(i, j, k);
                    sum += Math.abs(back[x] - v.voxels()[x]);
                    n++;
                }
        assertEquals(0, sum / n, 1.5); // mean error in "HU" for a field spanning 400
    }

    @Test
    void identical_grids_copy_the_voxels() {
        Grid g = Grid.axial(4, 3, 2, new double[] {0, 0, 0}, new double[] {1, 1, 1});
        float[] data = new float[24];
        for (int x = 0; x < 24; x++) data[x] = x;
        float[] out = Resampler.resample(new Volume(g, data), g);
        assertEquals(23f, out[23]);
    }

    private static float smooth(double[] p) {
        return (float) (200 * Math.sin(p[0] / 15) + 150 * Math.cos(p[1] / 12) + 50 * Math.sin(p[2] / 20));
    }

    @Test
    void a_volume_read_slice_by_slice_resamples_to_the_same_values_reading_only_the_slices_it_needs() {
        Grid src = new Grid(40, 30, 50, new double[] {0, 0, 0}, new double[] {0.75, 0.75, 1.0}, TILTED);
        Volume inMemory = Volume.zeros(src);
        for (int k = 0; k < src.nz(); k++)
            for (int j = 0; j < src.ny(); j++)
                for (int i = 0; i < src.nx(); i++) inMemory.voxels()[src.index(i, j, k)] = smooth(src.toPatient(i, j, k)) + (i * 7 + j * 3 + k) % 5;
        SlicedVolume sliced = new SlicedVolume(inMemory);
        Volume onDemand = sliced.volume();
        Grid low = Resampler.modelGrid(src, new double[] {4, 4, 4});
        org.junit.jupiter.api.Assertions.assertArrayEquals(Resampler.resample(inMemory, low), Resampler.resample(onDemand, low));
        assertEquals(0, sliced.stillOpen(), "every slice opened is closed");
        int read = sliced.opened().size();
        org.junit.jupiter.api.Assertions.assertTrue(read <= 2 * low.nz() && read < src.nz(), "read " + read + " of " + src.nz() + " slices");
    }
}
