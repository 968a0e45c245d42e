package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

    @Test
    void steps_by_half_a_patch_and_aligns_the_last_window_to_the_end() {
        assertArrayEquals(new int[] {0, 8, 16, 24, 32, 34}, SlidingWindow.starts(50, 16, 0.5));
        assertArrayEquals(new int[] {0, 8, 16}, SlidingWindow.starts(32, 16, 0.5));
        assertArrayEquals(new int[] {0}, SlidingWindow.starts(16, 16, 0.5));
    }

    @Test
    void one_padded_window_when_the_axis_is_shorter_than_the_patch() {
        assertArrayEquals(new int[] {0}, SlidingWindow.starts(5, 16, 0.5));
    }

    @Test
    void every_voxel_is_weighted_whatever_the_size() {
        int[] patch = {8, 16, 12};
        for (int[] size : new int[][] {{5, 40, 13}, {8, 16, 12}, {21, 17, 50}, {3, 3, 3}}) {
            ProbabilityAccumulator acc = new ProbabilityAccumulator(size[2], size[1], size[0], 2);
            float[] weights = BlendingWeights.of(patch, "gaussian");
            float[] probs = new float[2 * weights.length];
            Arrays.fill(probs, 0.5f);
            List<int[]> windows = SlidingWindow.windows(size, patch, 0.5);
            for (int[] w : windows) acc.add(probs, 0, w, patch, weights);
            for (float w : acc.weightSum()) assertTrue(w > 0, "uncovered voxel in " + Arrays.toString(size));
            float[][] p = acc.normalise();
            for (float v : p[1]) assertEquals(0.5f, v, 1e-5f);
        }
    }

    @Test
    void gaussian_weights_peak_in_the_centre_and_stay_positive_at_the_border() {
        float[] w = BlendingWeights.of(new int[] {16, 16, 16}, "gaussian");
        float centre = w[(8 * 16 + 8) * 16 + 8], corner = w[0];
        assertTrue(centre > 0.9f);
        assertTrue(corner > 0 && corner < 0.01f);
    }
}
