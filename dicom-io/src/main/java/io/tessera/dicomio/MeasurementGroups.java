package io.tessera.dicomio;

import static io.tessera.dicomio.SrContent.CONTAINS;
import static io.tessera.dicomio.SrContent.HAS_CONCEPT_MOD;
import static io.tessera.dicomio.SrContent.HAS_OBS_CONTEXT;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import io.tessera.core.ReportFinding;
import io.tessera.core.SegmentStats;
import io.tessera.core.Segmentation;
import io.tessera.core.Uids;
import java.util.List;

/**
 * TID 1411 Volumetric ROI Measurement groups: one per located finding (segment n of the grounding SEG) and one per
 * non-empty organ segment. Each carries the tracking identifier and UID of its segment, so SEG, SR and FHIR agree.
 */
final class MeasurementGroups {
    private MeasurementGroups() {}

    /** Adds the groups to the Imaging Measurements container; returns how many. */
    static int put(AttributeList measurements, MeasurementReport r) {
        int n = 0;
        List<GroundedFinding> located = FindingCodes.located(r.findings());
        for (int s = 0; s < located.size(); s++) {
            finding(measurements, located.get(s), r.groundingSeg(), s + 1, r.source().seriesInstanceUid(), r.grounder());
            n++;
        }
        if (r.organs() != null) n += organs(measurements, r.organs(), r.organSeg());
        return n;
    }

    private static void finding(AttributeList parent, GroundedFinding g, SegInfo seg, int segment, String sourceSeries,
                                ModelIdentity grounder) {
        ReportFinding f = g.finding();
        AttributeList group = group(parent, g.trackingId(), g.trackingUid());
        // TID 4019: who drew this outline (the rules, a grounding model, or a promptable model redrawing the rules'),
        // the same words as the SEG segment's AlgorithmParameters and the FHIR Observation's method.
        SrContent.text(group, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_NAME, FindingCodes.text(grounder.name(), 64));
        SrContent.text(group, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_VERSION, FindingCodes.text(grounder.version(), 64));
        SrContent.text(group, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_PARAMETERS, FindingCodes.text("method=" + g.method(), 1024));
        SrContent.code(group, CONTAINS, SrCodes.FINDING, f.findingType());
        if (f.site() != null) {
            AttributeList site = SrContent.code(group, HAS_CONCEPT_MOD, SrCodes.FINDING_SITE, f.site());
            Code side = FindingCodes.laterality(f.laterality());
            if (side != null) SrContent.code(site, HAS_CONCEPT_MOD, FindingCodes.LATERALITY, side);
        }
        SrContent.image(group, CONTAINS, SrCodes.REFERENCED_SEGMENT, seg.sopClassUid(), seg.sopInstanceUid(), segment);
        SrContent.uidref(group, CONTAINS, SrCodes.SOURCE_SERIES_FOR_SEGMENTATION, sourceSeries);
        if (finite(g.volumeMl())) SrContent.num(group, CONTAINS, SrCodes.VOLUME, round(g.volumeMl(), 3), SrCodes.ML);
        if (finite(g.maxDiameterMm())) {
            AttributeList d = SrContent.num(group, CONTAINS, SrCodes.DIAMETER, round(g.maxDiameterMm(), 1), SrCodes.MM);
            SrContent.code(d, HAS_CONCEPT_MOD, SrCodes.DERIVATION, SrCodes.MAXIMUM);
        }
        if (f.assertion() == Assertion.UNCERTAIN) {
            SrContent.text(group, CONTAINS, SrCodes.QUALITATIVE_EVALUATIONS,
                    FindingCodes.text("Stated as uncertain in the report: " + f.phrase(), 1024));
        }
    }

    private static int organs(AttributeList parent, Segmentation organs, SegInfo seg) {
        int n = 0;
        List<SegmentStats> stats = organs.stats();
        for (int s = 0; s < stats.size(); s++) {
            SegmentStats st = stats.get(s);
            if (st.voxels() == 0) continue;
            // Same recipe as the organ SEG's segment TrackingUID (SegSegments) and the FHIR volume Observation.
            AttributeList group = group(parent, FindingCodes.text(st.label().name(), 64),
                    Uids.segmentTrackingUid(seg.sopInstanceUid(), s + 1));
            SrContent.code(group, CONTAINS, SrCodes.FINDING, st.label().type());
            SrContent.image(group, CONTAINS, SrCodes.REFERENCED_SEGMENT, SOPClass.SegmentationStorage, seg.sopInstanceUid(), s + 1);
            SrContent.uidref(group, CONTAINS, SrCodes.SOURCE_SERIES_FOR_SEGMENTATION, organs.source().seriesInstanceUid());
            SrContent.num(group, CONTAINS, SrCodes.VOLUME, round(st.volumeMl(), 3), SrCodes.ML);
            n++;
        }
        return n;
    }

    private static AttributeList group(AttributeList parent, String trackingId, String trackingUid) {
        AttributeList group = SrContent.container(parent, CONTAINS, SrCodes.MEASUREMENT_GROUP, "1411");
        SrContent.text(group, HAS_OBS_CONTEXT, SrCodes.TRACKING_IDENTIFIER, trackingId);
        SrContent.uidref(group, HAS_OBS_CONTEXT, SrCodes.TRACKING_UID, trackingUid);
        return group;
    }

    private static boolean finite(double v) {
        return Double.isFinite(v) && v > 0;
    }

    /** Half-up on the decimal value, as the FHIR Observation rounds it, so both encodings show the same number. */
    private static double round(double v, int decimals) {
        return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
