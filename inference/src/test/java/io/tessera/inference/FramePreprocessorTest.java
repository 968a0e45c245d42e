package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.core.Grid;
import io.tessera.inference.ModelManifest.FrameInput;
import io.tessera.inference.ModelManifest.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The declared 2D pre-processing and the prompt coordinate transforms, against values worked out by hand. */
class FramePreprocessorTest {
    private static FrameInput input(Window w, int side) {
        return new FrameInput("2d", "CT", w, List.of(0.0, 255.0), 3, side, "square", List.of(100.0, 0.0, 255.0),
                List.of(50.0, 1.0, 255.0));
    }

    @Test
    void windows_resizes_the_longest_side_normalises_each_channel_and_pads_with_zeros() throws Exception {
        // 2x1 frame [0, 1000] HU, window [0, 1000] -> [0, 255]; side 4: scale 2, resized 4x2, bilinear with aligned
        // centres: x' = 0, 1, 2, 3 samples x = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1) -> 0, 63.75, 191.25, 255
        FramePreprocessor p = new FramePreprocessor(input(new Window("fixed", 0.0, 1000.0), 4));
        FramePreprocessor.Prepared r = p.prepare(new FrameImage("f", 2, 1, new float[] {0, 1000}));
        assertEquals(2.0, r.scale());
        assertEquals(4, r.resizedWidth());
        assertEquals(2, r.resizedHeight());
        float[] red = {-2f, -0.725f, 1.825f, 3.1f};              // (v - 100) / 50
        float[] green = {0f, 63.75f, 191.25f, 255f};             // (v - 0) / 1
        float[] blue = {-1f, -0.75f, -0.25f, 0f};                // (v - 255) / 255
        float[][] planes = {red, green, blue};
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                float[] row = new float[4];
                System.arraycopy(r.tensor(), c * 16 + y * 4, row, 0, 4);
                assertArrayEquals(y < 2 ? planes[c] : new float[4], row, 1e-5f, "channel " + c + " row " + y);
            }
        }
    }

    @Test
    void clips_to_the_window_and_uses_the_frames_voi_window_when_asked() throws Exception {
        FramePreprocessor p = new FramePreprocessor(input(new Window("voi", -1000.0, 1000.0), 4));
        // VOI center 40, width 400: linear VOI LUT bounds 40 - 0.5 -/+ 199.5 = [-160, 239]
        assertArrayEquals(new double[] {-160, 239}, p.window(new FrameImage("f", 1, 1, new float[1]).withVoi(40, 400)), 1e-9);
        assertArrayEquals(new double[] {-1000, 1000}, p.window(new FrameImage("f", 1, 1, new float[1])), 1e-9);
        assertArrayEquals(new float[] {0f, 0f, 127.5f, 255f, 255f},
                FramePreprocessor.windowed(new float[] {-3000, -1000, 0, 1000, 3000}, -1000, 1000, 0, 255), 1e-5f);
        FramePreprocessor noFallback = new FramePreprocessor(input(new Window("voi", null, null), 4));
        InferenceException e = assertThrows(InferenceException.class, () -> noFallback.prepare(new FrameImage("f", 1, 1, new float[1])));
        assertEquals("TSR-0344", e.code());
    }

    @Test
    void prompts_are_scaled_like_the_image_and_clicks_get_sams_padding_point() {
        // a 512x400 frame into a 1024 encoder: scale 1024 / 512 = 2
        double s = FramePreprocessor.scale(512, 400, 1024);
        assertEquals(2.0, s);
        float[][] box = Prompt.box(100, 200, 10, 20).feeds(s);
        assertArrayEquals(new float[] {20, 40, 200, 400}, box[0]);
        assertArrayEquals(new float[] {2, 3}, box[1]);
        float[][] clicks = Prompt.points(new double[] {5, 6, 7.5, 8}, new boolean[] {true, false}).feeds(s);
        assertArrayEquals(new float[] {10, 12, 15, 16, 0, 0}, clicks[0]);
        assertArrayEquals(new float[] {1, 0, -1}, clicks[1]);
        assertThrows(IllegalArgumentException.class, () -> Prompt.box(5, 5, 5, 9));
    }

    @Test
    void a_box_in_patient_coordinates_becomes_a_pixel_box_on_its_slice() {
        Grid axial = Grid.axial(64, 64, 3, new double[] {-100, -50, 30}, new double[] {0.5, 0.8, 5});
        // pixel (10, 20) of slice 1 has its centre at (-95, -34, 35): (10.5, 20.5) in prompt coordinates
        assertArrayEquals(new double[] {10.5, 20.5}, SlicePrompts.toPixel(axial, 1, new double[] {-95, -34, 35}), 1e-9);
        Prompt box = SlicePrompts.box(axial, 1, new double[] {-90, -26, 36}, new double[] {-95, -34, 34});
        assertArrayEquals(new float[] {10.5f, 20.5f, 20.5f, 30.5f}, box.xy(), 1e-5f);
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                () -> SlicePrompts.toPixel(axial, 1, new double[] {-95, -34, 38}));
        assertEquals("TSR-0346", off.getMessage().substring(0, 8));
        // a sagittal grid: rows along +y, columns along -z, normal (row x column) along -x
        Grid sagittal = new Grid(32, 32, 1, new double[] {7, 0, 100}, new double[] {2, 3, 1}, new double[] {0, 1, 0, 0, 0, -1, -1, 0, 0});
        assertArrayEquals(new double[] {3.5, 4.5}, SlicePrompts.toPixel(sagittal, 0, new double[] {7, 6, 88}), 1e-9);
    }

    @Test
    void masks_come_back_on_the_frames_pixels() {
        // at the frame's size: only the threshold
        assertArrayEquals(new byte[] {0, 1, 0, 1}, MaskMapper.toFrame(new float[] {-1, 2, 0, 0.5f}, 2, 2, 2, 2, 4, 2, 0));
        // on the padded square (2x2 logits for a 4x4 model input, frame 4x2 at scale 1): frame pixel x samples mask
        // x' = (x + 0.5) / 2 - 0.5 -> -0.25, 0.25, 0.75, 1.25: left column -4, right 4 -> -4, -2, 2, 4 on row 0
        byte[] m = MaskMapper.toFrame(new float[] {-4, 4, -4, 4}, 2, 2, 4, 2, 4, 1, 0);
        assertArrayEquals(new byte[] {0, 0, 1, 1, 0, 0, 1, 1}, m);
    }
}
