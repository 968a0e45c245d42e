package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbabilityToLabelsTest {
    private final Grid src = Grid.axial(29, 23, 17, new double[] {5, -3, 2}, new double[] {0.7, 0.9, 1.3});
    private final Grid low = Resampler.modelGrid(src, new double[] {4, 4, 4});

    @Test
    void equals_the_argmax_of_trilinearly_interpolated_probabilities_everywhere() {
        Random r = new Random(42);
        float[][] probs = new float[3][low.voxelCount()];
        for (int v = 0; v < low.voxelCount(); v++) for (int c = 0; c < 3; c++) probs[c][v] = r.nextFloat();
        byte[] fast = ProbabilityToLabels.argmax(probs, low, src);

        assertEquals(0, differences(fast, bruteForce(probs, low, src)),
                "voxels where the streamed argmax differs from brute force (float rounding aside)");
    }

    /**
     * Organ-like fields (few classes per region, most model cells uniform, thin shells and small blobs): the paths
     * that copy uniform cells and promote cells to whole row groups are the ones taken here, unlike random values.
     */
    @Test
    void equals_brute_force_on_smooth_structured_probabilities() {
        Grid src = Grid.axial(97, 83, 41, new double[] {-20, 7, 3}, new double[] {0.74, 0.81, 1.1});
        Grid low = Resampler.modelGrid(src, new double[] {4, 4, 4});
        int channels = 5;
        double[][] centres = {{0.5, 0.5, 0.5}, {0.3, 0.4, 0.5}, {0.7, 0.6, 0.4}, {0.52, 0.2, 0.7}};
        double[] radii = {0.45, 0.18, 0.2, 0.06};
        float[][] probs = new float[channels][low.voxelCount()];
        for (int k = 0; k < low.nz(); k++)
            for (int j = 0; j < low.ny(); j++)
                for (int i = 0; i < low.nx(); i++) {
                    int v = low.index(i, j, k);
                    double x = (i + 0.5) / low.nx(), y = (j + 0.5) / low.ny(), z = (k + 0.5) / low.nz();
                    probs[0][v] = 1f;
                    for (int c = 1; c < channels; c++) {
                        double[] m = centres[c - 1];
                        double d = Math.sqrt((x - m[0]) * (x - m[0]) + (y - m[1]) * (y - m[1]) + (z - m[2]) * (z - m[2]));
                        probs[c][v] = (float) (2 * Math.exp(-d * d / (radii[c - 1] * radii[c - 1])) + 0.01 * c);
                    }
                }
        byte[] fast = ProbabilityToLabels.argmax(probs, low, src);
        byte[] brute = bruteForce(probs, low, src);
        int[] seen = new int[channels];
        for (byte b : brute) seen[b]++;
        for (int c = 0; c < channels; c++) assertTrue(seen[c] > 0, "class " + c + " appears in the truth");
        assertEquals(0, differences(fast, brute), "voxels where the streamed argmax differs from brute force");
    }

    /** Argmax per source voxel of the probabilities trilinearly interpolated in double precision. */
    private static byte[] bruteForce(float[][] probs, Grid low, Grid src) {
        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        byte[] brute = new byte[src.voxelCount()];
        for (int k = 0; k < src.nz(); k++)
            for (int j = 0; j < src.ny(); j++)
                for (int i = 0; i < src.nx(); i++) {
                    int best = 0;
                    double bestP = -1;
                    for (int c = 0; c < probs.length; c++) {
                        double p = 0;
                        for (int dz = 0; dz < 2; dz++)
                            for (int dy = 0; dy < 2; dy++)
                                for (int dx = 0; dx < 2; dx++) {
                                    double w = (dz == 0 ? 1 - mz.w()[k] : mz.w()[k]) * (dy == 0 ? 1 - my.w()[j] : my.w()[j])
                                            * (dx == 0 ? 1 - mx.w()[i] : mx.w()[i]);
                                    int x = dx == 0 ? mx.lo()[i] : mx.hi()[i], y = dy == 0 ? my.lo()[j] : my.hi()[j];
                                    int z = dz == 0 ? mz.lo()[k] : mz.hi()[k];
                                    p += w * probs[c][low.index(x, y, z)];
                                }
                        if (p > bestP + 1e-6) {
                            bestP = p;
                            best = c;
                        }
                    }
                    brute[src.index(i, j, k)] = (byte) best;
                }
        return brute;
    }

    private static int differences(byte[] a, byte[] b) {
        int differ = 0;
        for (int v = 0; v < a.length; v++) if (a[v] != b[v]) differ++;
        return differ;
    }

    @Test
    void a_structure_thinner_than_the_model_voxel_survives_upsampling() {
        // class 1 wins only on one low-resolution plane (x = 3, p = 0.75): nearest-neighbour of labels would give
        // a whole 4.06 mm slab (6 source voxels); interpolated probabilities keep class 1 where 0.75 (1 - d/4.06)
        // > 0.5, i.e. |d| < 1.35 mm: a 2.7 mm band, 4 source voxels of 0.7 mm, contiguous
        float[][] probs = new float[2][low.voxelCount()];
        for (int k = 0; k < low.nz(); k++)
            for (int j = 0; j < low.ny(); j++)
                for (int i = 0; i < low.nx(); i++) {
                    int v = low.index(i, j, k);
                    probs[1][v] = i == 3 ? 0.75f : 0f;
                    probs[0][v] = 1 - probs[1][v];
                }
        byte[] labels = ProbabilityToLabels.argmax(probs, low, src);
        int[] row = new int[src.nx()];
        for (int i = 0; i < src.nx(); i++) row[i] = labels[src.index(i, 10, 8)];
        long width = java.util.Arrays.stream(row).filter(x -> x == 1).count();
        assertEquals(4, width, java.util.Arrays.toString(row));
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 0}, java.util.Arrays.copyOfRange(row, indexOfFirst(row) - 1, indexOfFirst(row) + 5));
    }

    private static int indexOfFirst(int[] row) {
        for (int i = 0; i < row.length; i++) if (row[i] == 1) return i;
        return -1;
    }
}
