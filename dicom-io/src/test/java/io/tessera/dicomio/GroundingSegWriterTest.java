package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundingSegWriterTest {
    @TempDir Path dir;

    private SourceSeries source() throws Exception {
        return new SeriesReader().read(new CtSeriesWriter().write(Fixtures.ct(Fixtures.obliqueGrid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("grounding-src")), dir.resolve("ct")));
    }

    @Test
    void writes_one_segment_per_located_finding_with_its_codes_and_tracking_uid() throws Exception {
        SourceSeries src = source();
        List<GroundedFinding> findings = GroundingFixtures.findings(src.volume().grid());
        Path out = dir.resolve("grounding.dcm");

        SegInfo info = new GroundingSegWriter().write(src, findings, GroundingFixtures.GROUNDER,
                GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1"), out);

        List<SegSegment> segments = new SegReader().segments(out);
        assertEquals(2, segments.size(), "the cyst was not located and the effusion is negated");
        assertEquals("Nodule in lower lobe of right lung", segments.get(0).label());
        assertEquals("Lesion in liver", segments.get(1).label());
        assertEquals(GroundingFixtures.NODULE, segments.get(0).type());
        assertEquals("49755003", segments.get(0).category().value());
        assertEquals("AUTOMATIC", segments.get(0).algorithmType());
        Map<Integer, String> tracking = MeasurementReportReader.segmentTrackingUids(out);
        assertEquals(Map.of(1, findings.get(0).trackingUid(), 2, findings.get(1).trackingUid()), tracking);
        assertEquals(3 + 4, info.frames(), "nodule on slices 2..4, lesion on 3..6");
        Map<String, String> h = DicomHeaders.read(out);
        assertEquals(GroundingSeg.SERIES_DESCRIPTION, h.get("SeriesDescription"));
        assertEquals(Fixtures.STUDY.studyInstanceUid(), h.get("StudyInstanceUID"));
        assertEquals(src.frameOfReferenceUid(), h.get("FrameOfReferenceUID"));
    }

    @Test
    void keeps_overlapping_findings_whole() throws Exception {
        SourceSeries src = source();
        List<GroundedFinding> findings = GroundingFixtures.findings(src.volume().grid());
        Path out = dir.resolve("grounding.dcm");
        new GroundingSegWriter().write(src, findings, GroundingFixtures.GROUNDER,
                GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1"), out);

        Map<Integer, byte[]> masks = decodePerSegment(out, src);
        assertArrayEquals(findings.get(0).mask().labels(), masks.get(1));
        assertArrayEquals(findings.get(1).mask().labels(), masks.get(2));
    }

    @Test
    void finding_site_and_side_are_the_segment_anatomic_region() throws Exception {
        SourceSeries src = source();
        Path out = dir.resolve("grounding.dcm");
        new GroundingSegWriter().write(src, GroundingFixtures.findings(src.volume().grid()), GroundingFixtures.GROUNDER,
                GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1"), out);
        AttributeList l = new AttributeList();
        l.read(out.toFile());
        AttributeList first = Dcm.getSeq(l, "SegmentSequence").getItem(0).getAttributeList();
        AttributeList region = Dcm.firstItem(first, "AnatomicRegionSequence");
        assertEquals("266005", Dcm.get(region, "CodeValue"));
        assertEquals("24028007", Dcm.get(Dcm.firstItem(region, "AnatomicRegionModifierSequence"), "CodeValue"));
        assertEquals("finding-1", Dcm.get(first, "TrackingID"));
        assertTrue(Dcm.get(Dcm.firstItem(first, "SegmentationAlgorithmIdentificationSequence"), "AlgorithmParameters")
                .contains("confidence=0.92"));
    }

    @Test
    void uids_are_deterministic_and_apart_from_the_organ_seg() throws Exception {
        SourceSeries src = source();
        SegSpec a = GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1");
        assertEquals(a.sopInstanceUid(), GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1").sopInstanceUid());
        assertNotEquals(a.sopInstanceUid(), GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "2").sopInstanceUid());
        assertNotEquals(a.seriesInstanceUid(), SegSpec.forModel(src, GroundingFixtures.GROUNDER, "1").seriesInstanceUid());
        assertEquals(Uids.deviceUid("tessera-grounding", "0.3.0"), a.deviceUid());
    }

    @Test
    void refuses_when_nothing_was_located_or_a_mask_is_off_grid() throws Exception {
        SourceSeries src = source();
        List<GroundedFinding> findings = GroundingFixtures.findings(src.volume().grid());
        SegSpec spec = GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new GroundingSegWriter()
                .write(src, findings.subList(2, 4), GroundingFixtures.GROUNDER, spec, dir.resolve("x.dcm")));
        assertTrue(none.getMessage().startsWith("TSR-0231"), none.getMessage());

        GroundedFinding f = findings.get(0);
        Grid other = Fixtures.grid();
        GroundedFinding off = new GroundedFinding(f.finding(), f.trackingId(), f.trackingUid(), true, null,
                LabelMap.empty(other), null, null, 0.5, 1, 1, "x");
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class, () -> new GroundingSegWriter()
                .write(src, List.of(off), GroundingFixtures.GROUNDER, spec, dir.resolve("y.dcm")));
        assertTrue(grid.getMessage().startsWith("TSR-0231"), grid.getMessage());

        GroundedFinding badUid = new GroundedFinding(f.finding(), f.trackingId(), "not-a-uid", true, null, f.mask(), null,
                null, 0.5, 1, 1, "x");
        IllegalArgumentException uid = assertThrows(IllegalArgumentException.class, () -> new GroundingSegWriter()
                .write(src, List.of(badUid), GroundingFixtures.GROUNDER, spec, dir.resolve("z.dcm")));
        assertTrue(uid.getMessage().startsWith("TSR-0231"), uid.getMessage());
    }

    /** Independent decode: each frame's bits go to its own segment's mask, placed by the referenced source image. */
    static Map<Integer, byte[]> decodePerSegment(Path seg, SourceSeries src) throws Exception {
        AttributeList l = new AttributeList();
        l.read(seg.toFile());
        Grid g = src.volume().grid();
        int plane = g.nx() * g.ny();
        byte[] bits = l.getPixelData().getByteValues();
        Map<String, Integer> sliceOf = new HashMap<>();
        for (int k = 0; k < g.nz(); k++) sliceOf.put(src.slices().get(k).sopInstanceUid(), k);
        Map<Integer, byte[]> out = new HashMap<>();
        SequenceAttribute frames = Dcm.getSeq(l, "PerFrameFunctionalGroupsSequence");
        for (int f = 0; f < frames.getNumberOfItems(); f++) {
            AttributeList item = frames.getItem(f).getAttributeList();
            int segment = Integer.parseInt(Dcm.get(Dcm.firstItem(item, "SegmentIdentificationSequence"), "ReferencedSegmentNumber"));
            String sop = Dcm.get(Dcm.firstItem(Dcm.firstItem(item, "DerivationImageSequence"), "SourceImageSequence"),
                    "ReferencedSOPInstanceUID");
            int k = sliceOf.get(sop);
            byte[] mask = out.computeIfAbsent(segment, s -> new byte[g.voxelCount()]);
            for (int p = 0; p < plane; p++) {
                long bit = (long) f * plane + p;
                if ((bits[(int) (bit >>> 3)] >> (bit & 7) & 1) != 0) mask[k * plane + p] = 1;
            }
        }
        return out;
    }
}
