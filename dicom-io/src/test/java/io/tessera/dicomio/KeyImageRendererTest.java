package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyImageRendererTest {
    @TempDir Path dir;

    @Test
    void outlines_each_segment_in_its_recommended_colour_on_the_slice_with_most_segmented_voxels() throws Exception {
        Grid g = Fixtures.grid();
        List<Path> files = new CtSeriesWriter().write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("key-src")),
                dir.resolve("ct"));
        SourceSeries src = new SeriesReader().read(files);
        LabelMap truth = Fixtures.labels(g);
        // slices 1..7 hold the same number of voxels; a little more lesion on slice 4 makes it the busiest
        for (int j = 21; j < 23; j++) for (int i = 29; i < 31; i++) truth.labels()[g.index(i, j, 4)] = 2;
        Path seg = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(src, truth, Fixtures.LABELS, Fixtures.MODEL), SegSpec.forModel(src, Fixtures.MODEL, "v1"), seg);

        KeyImageRenderer.KeyImage key = KeyImageRenderer.render(files, seg);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        key.writePng(png);
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(png.toByteArray()));

        assertEquals(4, key.slice(), "the slice with the most segmented voxels");
        assertTrue(img.getWidth() >= KeyImageRenderer.MIN_SIZE, "enlarged for a screen");
        assertEquals(g.nx() * key.scale(), img.getWidth());
        Map<Integer, int[]> colours = KeyImageRenderer.segmentColours(seg);
        int[] liver = colours.get(1), lesion = colours.get(2);
        assertArrayEquals(Fixtures.LABELS.get(0).rgb(), liver, "CIELab there and back gives the label's sRGB");
        assertArrayEquals(Fixtures.LABELS.get(1).rgb(), lesion);
        assertEquals(rgb(liver), pixel(img, key.scale(), 3, 10), "the liver box's left edge");
        assertEquals(rgb(lesion), pixel(img, key.scale(), 10, 6), "the lesion box's left edge");
        int inside = pixel(img, key.scale(), 13, 7);
        assertTrue((inside >> 16 & 0xff) == (inside & 0xff) && (inside >> 8 & 0xff) == (inside & 0xff),
                "inside a segment the slice shows, grey");
        int outside = pixel(img, key.scale(), 0, 0);
        assertEquals(0, outside & 0xff, "-1000 HU is black in the soft-tissue window");
    }

    private static int pixel(BufferedImage img, int scale, int i, int j) {
        return img.getRGB(i * scale + scale / 2, j * scale + scale / 2) & 0xffffff;
    }

    private static int rgb(int[] c) {
        return c[0] << 16 | c[1] << 8 | c[2];
    }
}
