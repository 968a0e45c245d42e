package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegRoundTripTest {
    @TempDir Path dir;

    private SourceSeries source(Grid g) throws Exception {
        List<Path> files = new CtSeriesWriter().write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("seg-src")),
                dir.resolve("ct"));
        return new SeriesReader().read(files);
    }

    @Test
    void decodes_back_to_the_written_label_map() throws Exception {
        SourceSeries src = source(Fixtures.obliqueGrid());
        LabelMap truth = Fixtures.labels(src.volume().grid());
        Segmentation seg = new Segmentation(src, truth, Fixtures.LABELS, Fixtures.MODEL);
        Path out = dir.resolve("seg.dcm");

        SegInfo info = new SegWriter().write(seg, SegSpec.forModel(src, Fixtures.MODEL, "v1"), out);

        assertEquals(7 + 3, info.frames(), "7 slices of label 1, 3 of label 2, none of label 3");
        LabelMap back = new SegReader().readOnto(out, src, Fixtures.LABELS);
        assertArrayEquals(truth.labels(), back.labels());
        assertEquals(1.0, truth.dice(back, 2));
    }

    @Test
    void describes_every_segment_with_its_codes_in_label_order() throws Exception {
        SourceSeries src = source(Fixtures.grid());
        Path out = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), out);

        List<SegSegment> segments = new SegReader().segments(out);
        assertEquals(3, segments.size());
        for (int s = 0; s < 3; s++) {
            assertEquals(s + 1, segments.get(s).number());
            assertEquals(Fixtures.LABELS.get(s).type(), segments.get(s).type());
            assertEquals(Fixtures.LABELS.get(s).category(), segments.get(s).category());
            assertEquals("AUTOMATIC", segments.get(s).algorithmType());
        }
        Map<String, String> h = DicomHeaders.read(out);
        assertEquals(Fixtures.STUDY.studyInstanceUid(), h.get("StudyInstanceUID"));
        assertEquals("PID-001", h.get("PatientID"));
        assertEquals(src.frameOfReferenceUid(), h.get("FrameOfReferenceUID"));
        assertEquals("SEG", h.get("Modality"));
        assertTrue(h.get("SeriesDescription").startsWith("AI generated - NOT FOR CLINICAL USE"));
        com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
        list.read(out.toString());
        com.pixelmed.dicom.AttributeList alg = Dcm.firstItem(Dcm.firstItem(list, "SegmentSequence"),
                "SegmentationAlgorithmIdentificationSequence");
        assertEquals("onnx-sha256=abcdef0123456789abcdef; provider=CPU", Dcm.get(alg, "AlgorithmParameters"),
                "the ONNX file and the provider that made the segment are recorded");
    }

    @Test
    void uids_are_the_same_when_the_result_is_made_again() throws Exception {
        SourceSeries src = source(Fixtures.grid());
        SegSpec a = SegSpec.forModel(src, Fixtures.MODEL, "v1");
        SegSpec b = SegSpec.forModel(src, Fixtures.MODEL, "v1");
        assertEquals(a.sopInstanceUid(), b.sopInstanceUid());
        assertEquals(a.seriesInstanceUid(), b.seriesInstanceUid());
        assertTrue(!a.sopInstanceUid().equals(SegSpec.forModel(src, Fixtures.MODEL, "v2").sopInstanceUid()));
    }

    @Test
    void writes_a_readable_object_when_nothing_was_found() throws Exception {
        SourceSeries src = source(Fixtures.grid());
        LabelMap empty = LabelMap.empty(src.volume().grid());
        Path out = dir.resolve("empty.dcm");
        SegInfo info = new SegWriter().write(new Segmentation(src, empty, Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), out);
        assertEquals(1, info.frames());
        assertArrayEquals(empty.labels(), new SegReader().readOnto(out, src).labels());
    }

    @Test
    void packs_frames_bit_contiguously_without_per_frame_padding() {
        Grid g = Grid.axial(3, 3, 2, new double[] {0, 0, 0}, new double[] {1, 1, 1}); // 9 bits a frame
        LabelMap m = LabelMap.empty(g);
        m.labels()[g.index(0, 0, 0)] = 1;
        m.labels()[g.index(0, 0, 1)] = 1;
        m.labels()[g.index(2, 2, 1)] = 1;
        List<SegFrames.Frame> frames = SegFrames.frames(m, Fixtures.LABELS.subList(0, 1));
        byte[] packed = SegFrames.pack(m, frames);
        assertEquals(2, frames.size());
        assertEquals(4, packed.length, "18 bits -> 3 bytes, padded to even");
        assertEquals(0b0000_0001, packed[0] & 0xff);
        assertEquals(0b0000_0010, packed[1] & 0xff, "frame 2 starts at bit 9");
        assertEquals(0b0000_0010, packed[2] & 0xff, "bit 17 = last pixel of frame 2");
    }

    @Test
    void converts_colours_to_dicom_cielab() {
        assertArrayEquals(new int[] {65535, 32896, 32896}, CieLab.fromRgb(new int[] {255, 255, 255}), "white");
        assertEquals(0, CieLab.fromRgb(new int[] {0, 0, 0})[0]);
    }

    @Test
    void places_frames_by_position_when_source_references_do_not_match() throws Exception {
        SourceSeries src = source(Fixtures.obliqueGrid());
        LabelMap truth = Fixtures.labels(src.volume().grid());
        Path out = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(src, truth, Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), out);
        List<io.tessera.core.SliceRef> renamed = src.slices().stream()
                .map(r -> new io.tessera.core.SliceRef(r.sopClassUid(), r.sopInstanceUid() + ".9", r.imagePositionPatient(), r.file()))
                .toList();
        SourceSeries other = new SourceSeries(src.study(), src.seriesInstanceUid(), src.modality(), src.seriesDescription(),
                src.seriesNumber(), src.bodyPartExamined(), src.frameOfReferenceUid(), src.imageOrientationPatient(),
                src.pixelSpacing(), src.volume(), renamed);

        assertArrayEquals(truth.labels(), new SegReader().readOnto(out, other, Fixtures.LABELS).labels());
    }
}
