package io.tessera.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.dicomio.GroundingSeg;
import io.tessera.dicomio.MeasurementReportReader;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SegSegment;
import io.tessera.dicomio.SrMeasurementGroup;
import io.tessera.testkit.phantom.Lesion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grounding SEG and the SR of a phantom study describe the true lesions and agree with each other. */
class GroundingEncodingsPhantomTest {
    @TempDir static Path dir;
    static GroundingPhantom p;

    @BeforeAll
    static void write() throws Exception {
        p = GroundingPhantom.write(11, dir);
    }

    @Test
    void the_grounding_seg_decodes_to_the_true_lesion_masks() throws Exception {
        List<Lesion> lesions = p.study().phantom().lesions();
        assertTrue(lesions.size() >= 2, "PhantomSpec.small places two lesions");
        LabelMap back = new SegReader().readOnto(p.groundingSeg(), p.source());
        for (int s = 0; s < lesions.size(); s++) {
            assertEquals(1.0, back.dice(p.study().phantom().lesionMap(), s + 1, lesions.get(s).index()), "segment " + (s + 1));
        }
        List<SegSegment> segments = new SegReader().segments(p.groundingSeg());
        assertEquals(lesions.size(), segments.size(), "the not-located and the negated findings have no segment");
        assertEquals(GroundingSeg.segmented(p.findings()).size(), segments.size());
    }

    @Test
    void every_sr_finding_group_has_the_tracking_uid_of_the_segment_it_references() throws Exception {
        Map<Integer, String> segTracking = MeasurementReportReader.segmentTrackingUids(p.groundingSeg());
        List<SrMeasurementGroup> groups = MeasurementReportReader.groups(p.sr()).stream()
                .filter(g -> p.groundingInfo().sopInstanceUid().equals(g.segmentSopInstanceUid())).toList();
        List<GroundedFinding> located = GroundingSeg.segmented(p.findings());
        assertEquals(located.size(), groups.size());
        for (int i = 0; i < groups.size(); i++) {
            SrMeasurementGroup g = groups.get(i);
            assertEquals(segTracking.get(g.segmentNumber()), g.trackingUid(), g.trackingId());
            assertEquals(located.get(i).trackingUid(), g.trackingUid());
            assertEquals(located.get(i).finding().findingType(), g.finding());
            assertEquals(located.get(i).finding().site(), g.findingSite());
            assertEquals(located.get(i).volumeMl(), g.volumeMl(), 5e-4);
            assertEquals(p.source().seriesInstanceUid(), g.sourceSeriesUid());
        }
    }

    @Test
    void organ_volume_groups_point_at_the_organ_seg_with_its_tracking_uids() throws Exception {
        Map<Integer, String> segTracking = MeasurementReportReader.segmentTrackingUids(p.organSeg());
        List<SrMeasurementGroup> groups = MeasurementReportReader.groups(p.sr()).stream()
                .filter(g -> p.organInfo().sopInstanceUid().equals(g.segmentSopInstanceUid())).toList();
        assertEquals(2, groups.size(), "liver and spleen");
        for (SrMeasurementGroup g : groups) assertEquals(segTracking.get(g.segmentNumber()), g.trackingUid());
        assertEquals(p.organs().stats().get(0).volumeMl(), groups.get(0).volumeMl(), 5e-4);
        assertEquals(p.srInfo().measurementGroups(), GroundingSeg.segmented(p.findings()).size() + 2);
    }
}
