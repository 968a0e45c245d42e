package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.inference.ModelManifest.Intensity;
import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void softmax_runs_over_channels_per_voxel() {
        float[] out = {0, 0, 1000, 1000, 0, 0}; // N=1, C=3, 2 voxels, layout [c][v]: channel 1 wins in both voxels
        Activation.apply("softmax", out, 1, 3, 2);
        assertEquals(1f, out[0] + out[2] + out[4], 1e-6f);
        assertEquals(1f, out[2], 1e-6f);
        assertEquals(1f, out[3], 1e-6f);
    }

    @Test
    void sigmoid_is_element_wise() {
        float[] out = {0, 100, -100};
        Activation.apply("sigmoid", out, 1, 3, 1);
        assertEquals(0.5f, out[0], 1e-6f);
        assertEquals(1f, out[1], 1e-6f);
        assertEquals(0f, out[2], 1e-6f);
    }

    @Test
    void window_clips_then_maps_to_unit_range_and_pads_with_zero() {
        float[] v = {-2000, -1000, 0, 1000, 3000};
        float pad = IntensityNormalizer.apply(v, new Intensity("window", -1000.0, 1000.0, null, null));
        assertEquals(0f, pad);
        assertEquals(0f, v[0]);
        assertEquals(0.5f, v[2], 1e-6f);
        assertEquals(1f, v[4]);
    }

    @Test
    void zscore_without_statistics_uses_the_volume_and_pads_with_its_minimum() {
        float[] v = {1, 2, 3, 4, 5};
        float pad = IntensityNormalizer.apply(v, new Intensity("zscore", null, null, null, null));
        assertEquals(0f, v[2], 1e-6f);
        assertEquals(v[0], pad);
        assertEquals(-1.414f, pad, 1e-3f);
    }

    @Test
    void zscore_with_statistics_clips_first_as_nnunet_does_for_ct() {
        float[] v = {-3000, 0, 100, 5000};
        IntensityNormalizer.apply(v, new Intensity("zscore", -1000.0, 1000.0, 0.0, 500.0));
        assertEquals(-2f, v[0], 1e-6f);
        assertEquals(0.2f, v[2], 1e-6f);
        assertEquals(2f, v[3], 1e-6f);
    }
}
