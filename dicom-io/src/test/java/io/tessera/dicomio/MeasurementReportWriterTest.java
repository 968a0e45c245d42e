package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.GroundedFinding;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementReportWriterTest {
    @TempDir Path dir;
    private SourceSeries src;
    private List<GroundedFinding> findings;
    private Path groundingSeg;
    private SegInfo groundingInfo;
    private Path organSeg;
    private SegInfo organInfo;
    private Segmentation organs;

    @BeforeEach
    void write_the_segs() throws Exception {
        src = new SeriesReader().read(new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("sr-src")), dir.resolve("ct")));
        findings = GroundingFixtures.findings(src.volume().grid());
        groundingSeg = dir.resolve("grounding.dcm");
        groundingInfo = new GroundingSegWriter().write(src, findings, GroundingFixtures.GROUNDER,
                GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1"), groundingSeg);
        organs = new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL);
        organSeg = dir.resolve("organs.dcm");
        organInfo = new SegWriter().write(organs, SegSpec.forModel(src, Fixtures.MODEL, "1"), organSeg);
    }

    private Path writeSr() throws Exception {
        Path sr = dir.resolve("sr.dcm");
        SrInfo info = new MeasurementReportWriter().write(
                MeasurementReport.of(src, GroundingFixtures.GROUNDER, findings, groundingInfo).withOrgans(organs, organInfo),
                SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "1"), sr);
        assertEquals(2 + 2, info.measurementGroups(), "two located findings, two non-empty organ segments");
        return sr;
    }

    @Test
    void each_finding_group_carries_the_tracking_uid_of_the_segment_it_references() throws Exception {
        Path sr = writeSr();
        List<SrMeasurementGroup> groups = MeasurementReportReader.groups(sr);
        Map<Integer, String> segTracking = MeasurementReportReader.segmentTrackingUids(groundingSeg);
        List<SrMeasurementGroup> findingGroups = groups.stream()
                .filter(g -> groundingInfo.sopInstanceUid().equals(g.segmentSopInstanceUid())).toList();
        assertEquals(2, findingGroups.size());
        for (SrMeasurementGroup g : findingGroups) {
            assertEquals(segTracking.get(g.segmentNumber()), g.trackingUid(), "group " + g.trackingId());
            assertEquals(src.seriesInstanceUid(), g.sourceSeriesUid());
        }
        SrMeasurementGroup nodule = findingGroups.get(0);
        assertEquals(findings.get(0).trackingUid(), nodule.trackingUid());
        assertEquals("finding-1", nodule.trackingId());
        assertEquals(GroundingFixtures.NODULE, nodule.finding());
        assertEquals(GroundingFixtures.RLL, nodule.findingSite());
        assertEquals("24028007", nodule.laterality().value());
        assertEquals(findings.get(0).volumeMl(), nodule.volumeMl(), 1e-3);
        assertEquals(7.9, nodule.maxDiameterMm(), 1e-9);
        assertNull(findingGroups.get(1).laterality(), "the liver has no side");
    }

    @Test
    void organ_volume_groups_match_the_organ_seg_segments() throws Exception {
        List<SrMeasurementGroup> organGroups = MeasurementReportReader.groups(writeSr()).stream()
                .filter(g -> organInfo.sopInstanceUid().equals(g.segmentSopInstanceUid())).toList();
        Map<Integer, String> segTracking = MeasurementReportReader.segmentTrackingUids(organSeg);
        assertEquals(2, organGroups.size(), "spleen is empty");
        for (SrMeasurementGroup g : organGroups) assertEquals(segTracking.get(g.segmentNumber()), g.trackingUid());
        assertEquals(organs.stats().get(0).volumeMl(), organGroups.get(0).volumeMl(), 1e-3);
        assertEquals("liver", organGroups.get(0).trackingId());
    }

    @Test
    void header_is_unverified_and_lists_the_evidence() throws Exception {
        AttributeList l = new AttributeList();
        l.read(writeSr().toFile());
        assertEquals(SrInfo.COMPREHENSIVE_3D_SR, Dcm.get(l, "SOPClassUID"));
        assertEquals("UNVERIFIED", Dcm.get(l, "VerificationFlag"));
        assertEquals("SR", Dcm.get(l, "Modality"));
        assertEquals("PID-001", Dcm.get(l, "PatientID"));
        assertEquals(Fixtures.STUDY.studyInstanceUid(), Dcm.get(l, "StudyInstanceUID"));
        assertTrue(Dcm.get(l, "SeriesDescription").contains("NOT FOR CLINICAL USE"));
        assertEquals("126000", Dcm.get(Dcm.firstItem(l, "ConceptNameCodeSequence"), "CodeValue"));
        assertEquals("1500", Dcm.get(Dcm.firstItem(l, "ContentTemplateSequence"), "TemplateIdentifier"));
        SequenceAttribute series = Dcm.getSeq(Dcm.firstItem(l, "CurrentRequestedProcedureEvidenceSequence"),
                "ReferencedSeriesSequence");
        List<String> seriesUids = new ArrayList<>();
        for (int i = 0; i < series.getNumberOfItems(); i++) seriesUids.add(Dcm.get(series.getItem(i).getAttributeList(), "SeriesInstanceUID"));
        assertEquals(List.of(src.seriesInstanceUid(), groundingInfo.seriesInstanceUid(), organInfo.seriesInstanceUid()), seriesUids);
        assertEquals(src.slices().size(), Dcm.getSeq(series.getItem(0).getAttributeList(), "ReferencedSOPSequence").getNumberOfItems());
    }

    @Test
    void a_stated_finding_that_was_not_located_is_said_in_words_and_a_negated_one_is_left_out() throws Exception {
        String text = new String(Files.readAllBytes(writeSr()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("Cyst in left kidney (report: \"small cyst in the left kidney\"): not located in the image"), text);
        assertTrue(!text.contains("effusion"), "a negated finding describes nothing in the image");
    }

    @Test
    void uids_are_deterministic() {
        SrSpec a = SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "1");
        assertEquals(a, SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "1"));
        assertTrue(!a.sopInstanceUid().equals(SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "2").sopInstanceUid()));
        assertEquals(Uids.deviceUid("tessera-grounding", "0.3.0"), a.deviceUid());
    }

    @Test
    void located_findings_need_their_seg() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeasurementReport.of(src, GroundingFixtures.GROUNDER, findings, null));
        assertTrue(e.getMessage().startsWith("TSR-0232"));
    }
}
