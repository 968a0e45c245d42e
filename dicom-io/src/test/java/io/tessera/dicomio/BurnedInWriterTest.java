package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Segmentation;
import io.tessera.core.SegmentLabel;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BurnedInWriterTest {
    @TempDir Path dir;

    /** 128×96×6 CT; liver box on slices 1..3 below the banner, a lesion inside it on slice 2. */
    static Segmentation segmentation(Path ctDir) throws Exception {
        Grid g = Grid.axial(128, 96, 6, new double[] {-60, -40, 0}, new double[] {0.8, 0.8, 2.0});
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("burned-in-ct")), ctDir);
        SourceSeries src = new SeriesReader().read(ct);
        LabelMap m = LabelMap.empty(src.volume().grid());
        for (int k = 1; k <= 3; k++)
            for (int j = 40; j < 80; j++)
                for (int i = 20; i < 100; i++) m.labels()[g.index(i, j, k)] = 1;
        for (int j = 50; j < 60; j++)
            for (int i = 50; i < 70; i++) m.labels()[g.index(i, j, 2)] = 2;
        return new Segmentation(src, m, Fixtures.LABELS, Fixtures.MODEL);
    }

    @Test
    void writes_one_rgb_secondary_capture_per_slice_with_a_segment_with_outlines_in_segment_colours_and_a_banner()
            throws Exception {
        Segmentation seg = segmentation(dir.resolve("ct"));
        SegSpec spec = SegSpec.forModel(seg.source(), Fixtures.MODEL, "1");
        List<BurnedInWriter.Instance> out = new BurnedInWriter().write(seg, spec, dir.resolve("sc"));

        assertEquals(List.of(1, 2, 3), out.stream().map(BurnedInWriter.Instance::sliceIndex).toList());
        int bannerHeight = BurnedInRenderer.bannerHeight(BurnedInWriter.banner(128, seg).size(), 1);
        assertEquals(3, BurnedInWriter.banner(128, seg).size(), BurnedInWriter.banner(128, seg).toString());
        for (BurnedInWriter.Instance sc : out) {
            AttributeList l = new AttributeList();
            l.read(sc.file().toFile());
            assertEquals(SOPClass.SecondaryCaptureImageStorage, Dcm.get(l, "SOPClassUID"));
            assertEquals("DERIVED\\SECONDARY", Dcm.get(l, "ImageType"));
            assertEquals("YES", Dcm.get(l, "BurnedInAnnotation"));
            assertTrue(Dcm.get(l, "SeriesDescription").contains("NOT FOR CLINICAL USE"), Dcm.get(l, "SeriesDescription"));
            assertEquals(Fixtures.STUDY.studyInstanceUid(), Dcm.get(l, "StudyInstanceUID"));
            assertEquals(Fixtures.STUDY.patientId(), Dcm.get(l, "PatientID"));
            assertEquals(BurnedInWriter.seriesUid(spec), Dcm.get(l, "SeriesInstanceUID"));
            assertEquals(Uids.derive(BurnedInWriter.seriesUid(spec), sc.sourceSopInstanceUid()), Dcm.get(l, "SOPInstanceUID"));
            AttributeList source = Dcm.firstItem(l, "SourceImageSequence");
            assertEquals(seg.source().slices().get(sc.sliceIndex()).sopInstanceUid(), Dcm.get(source, "ReferencedSOPInstanceUID"));
            assertEquals("RGB", Dcm.get(l, "PhotometricInterpretation"));

            byte[] px = l.get(Dcm.tag("PixelData")).getByteValues();
            int outline = 0;
            int yellow = 0;
            for (int j = 0; j < 96; j++) {
                for (int i = 0; i < 128; i++) {
                    int o = (j * 128 + i) * 3;
                    int[] rgb = {px[o] & 0xff, px[o + 1] & 0xff, px[o + 2] & 0xff};
                    if (j < bannerHeight) {
                        boolean black = rgb[0] == 0 && rgb[1] == 0 && rgb[2] == 0;
                        boolean banner = rgb[0] == 255 && rgb[1] == 255 && rgb[2] == 0;
                        assertTrue(black || banner, "banner strip holds only black and yellow at " + i + "," + j);
                        if (banner) yellow++;
                        continue;
                    }
                    int v = seg.labels().get(i, j, sc.sliceIndex());
                    if (v != 0 && independentEdge(seg.labels(), i, j, sc.sliceIndex(), v)) {
                        assertArrayEquals(colour(v), rgb, "outline colour at " + i + "," + j);
                        outline++;
                    } else {
                        assertTrue(rgb[0] == rgb[1] && rgb[1] == rgb[2], "grey copy of the slice at " + i + "," + j);
                    }
                }
            }
            assertTrue(yellow > 200, "the banner is drawn: " + yellow + " pixels");
            assertTrue(outline >= 2 * (80 + 40) - 4, "the liver outline is drawn: " + outline);
        }
    }

    @Test
    void the_same_segmentation_gives_the_same_uids_and_pixels() throws Exception {
        Segmentation seg = segmentation(dir.resolve("ct"));
        SegSpec spec = SegSpec.forModel(seg.source(), Fixtures.MODEL, "1");
        List<BurnedInWriter.Instance> a = new BurnedInWriter().write(seg, spec, dir.resolve("a"));
        List<BurnedInWriter.Instance> b = new BurnedInWriter().write(seg, spec, dir.resolve("b"));
        assertEquals(a.stream().map(BurnedInWriter.Instance::sopInstanceUid).toList(),
                b.stream().map(BurnedInWriter.Instance::sopInstanceUid).toList());
        AttributeList la = new AttributeList();
        la.read(a.get(1).file().toFile());
        AttributeList lb = new AttributeList();
        lb.read(b.get(1).file().toFile());
        assertArrayEquals(la.get(Dcm.tag("PixelData")).getByteValues(), lb.get(Dcm.tag("PixelData")).getByteValues());
    }

    @Test
    void the_banner_wraps_to_narrow_images() {
        assertEquals(List.of("AI GENERATED", "- NOT FOR", "CLINICAL USE"), BannerFont.wrap(BurnedInWriter.BANNER, 12));
        assertEquals(List.of("ABCDE", "FG"), BannerFont.wrap("ABCDEFG", 5));
    }

    private static int[] colour(int v) {
        for (SegmentLabel s : Fixtures.LABELS) if (s.value() == v) return s.rgb();
        throw new IllegalArgumentException("no label " + v);
    }

    /** Written again here, not shared with the renderer: a label pixel with a 4-neighbour of another value. */
    private static boolean independentEdge(LabelMap m, int i, int j, int k, int v) {
        int[][] n = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        for (int[] d : n) {
            int x = i + d[0];
            int y = j + d[1];
            if (x < 0 || y < 0 || x >= m.grid().nx() || y >= m.grid().ny() || m.get(x, y, k) != v) return true;
        }
        return false;
    }

}
