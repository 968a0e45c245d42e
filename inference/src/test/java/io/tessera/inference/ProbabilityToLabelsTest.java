package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

        AxisMap mx = AxisMap.between(low, src, 0), my = AxisMap.between(low, src, 1), mz = AxisMap.between(low, src, 2);
        byte[] brute = new byte[src.voxelCount()];
        for (int k = 0; k < src.nz(); k++)
            for (int j = 0; j < src.ny(); j++)
                for (int i = 0; i < src.nx(); i++) {
                    int best = 0;
                    double bestP = -1;
                    for (int c = 0; c < 3; c++) {
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
        int differ = 0;
        for (int v = 0; v < brute.length; v++) if (brute[v] != fast[v]) differ++;
        assertEquals(0, differ, "voxels where the streamed argmax differs from brute force (float rounding aside)");
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
