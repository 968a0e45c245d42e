package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The runner on the tiny SAM-shaped package: its decoder's mask is the encoder's 16x16-pooled image resized to the
 * frame, so the answer is known: a 64x32 frame, left half 0 HU, right half 1000 HU, goes in at scale 0.5 (32x16 in the
 * top half of the 32x32 input); normalised (v - 100) / 50 the left is -2, the right 3.1, the padding 0. The 2x2
 * embedding is resized (nearest) to the frame by the decoder, so the mask (logits > 0) is the frame's top-right
 * quadrant: x 32..63, y 0..15.
 */
class PromptableSegmenterTest {
    private static FrameImage frame(String key) {
        float[] v = new float[64 * 32];
        for (int y = 0; y < 32; y++) for (int x = 32; x < 64; x++) v[y * 64 + x] = 1000;
        return new FrameImage(key, 64, 32, v);
    }

    @Test
    void runs_the_encoder_once_per_frame_and_the_decoder_per_prompt() throws Exception {
        try (LoadedModel m = GroundingRunner.openCpu(PromptablePackageTest.tiny())) {
            PromptableSegmenter s = new PromptableSegmenter(m);
            PromptMask box = s.segment(frame("a"), Prompt.box(40, 2, 60, 12));
            PromptMask click = s.segment(frame("a"), Prompt.points(new double[] {50, 5}, new boolean[] {true}));
            assertEquals(1, s.encoderRuns(), "two prompts on one frame: one encoder run");
            assertFalse(box.embeddingCached());
            assertTrue(click.embeddingCached());
            assertEquals(0, click.encoderNanos());
            assertEquals(2.5f, box.iou(), 1e-6f, "the tiny decoder's IoU is the mean label: box corners 2 and 3");
            assertEquals(0f, click.iou(), 1e-6f, "a click (1) and SAM's padding point (-1)");
            assertEquals(64, box.width());
            assertEquals(32, box.height());
            assertEquals(32 * 16, box.area());
            assertTrue(box.inside(63, 0) && box.inside(32, 15));
            assertFalse(box.inside(31, 0) || box.inside(40, 16));
            s.segment(frame("b"), Prompt.box(1, 1, 9, 9));
            assertEquals(2, s.encoderRuns(), "another frame: another encoder run");
        }
    }

    @Test
    void refuses_prompts_outside_the_frame_and_models_of_other_tasks() throws Exception {
        try (LoadedModel m = GroundingRunner.openCpu(PromptablePackageTest.tiny())) {
            PromptableSegmenter s = new PromptableSegmenter(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.segment(frame("a"), Prompt.box(10, 10, 90, 20)));
            assertTrue(e.getMessage().startsWith("TSR-0345"), e.getMessage());
            assertEquals(0, s.encoderRuns());
        }
        try (LoadedModel seg = GroundingRunner.openCpu(TestModels.dir("threshold-dynamic"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PromptableSegmenter(seg));
            assertTrue(e.getMessage().startsWith("TSR-0340"), e.getMessage());
        }
    }
}
