package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import io.tessera.core.ReportFinding;
import java.util.List;
import java.util.Locale;

/**
 * Segment Sequence of the grounding SEG: one segment per located finding, labelled with the finding, category
 * "Morphologically Abnormal Structure", type = the finding type, anatomic region = the finding site with its side,
 * and the finding's own tracking ID/UID — the SR measurement group and the FHIR Observation carry the same UID.
 */
final class GroundingSegments {
    /** Distinct display colours (sRGB) for findings, cycled. */
    private static final int[][] PALETTE = {
            {255, 64, 64}, {255, 200, 0}, {0, 200, 255}, {255, 0, 200}, {120, 255, 0}, {255, 128, 0}};

    private GroundingSegments() {}

    static void put(AttributeList l, List<GroundedFinding> located, ModelIdentity grounder) {
        SequenceAttribute seq = Dcm.seq(l, "SegmentSequence");
        for (int s = 0; s < located.size(); s++) {
            GroundedFinding g = located.get(s);
            ReportFinding f = g.finding();
            AttributeList item = Dcm.item(seq);
            Dcm.putInt(item, "SegmentNumber", s + 1);
            Dcm.put(item, "SegmentLabel", FindingCodes.text(FindingCodes.label(f), 64));
            Dcm.put(item, "SegmentDescription", FindingCodes.text(f.phrase(), 64));
            Dcm.code(item, "SegmentedPropertyCategoryCodeSequence", FindingCodes.ABNORMAL_STRUCTURE);
            Dcm.code(item, "SegmentedPropertyTypeCodeSequence", f.findingType());
            if (f.site() != null) {
                Dcm.code(item, "AnatomicRegionSequence", f.site());
                Code side = FindingCodes.laterality(f.laterality());
                if (side != null) Dcm.code(Dcm.firstItem(item, "AnatomicRegionSequence"), "AnatomicRegionModifierSequence", side);
            }
            Dcm.put(item, "SegmentAlgorithmType", "AUTOMATIC");
            Dcm.put(item, "SegmentAlgorithmName", FindingCodes.text(grounder.name(), 64));
            AttributeList alg = Dcm.item(Dcm.seq(item, "SegmentationAlgorithmIdentificationSequence"));
            Dcm.code(alg, "AlgorithmFamilyCodeSequence", Codes.ARTIFICIAL_INTELLIGENCE);
            Dcm.put(alg, "AlgorithmName", FindingCodes.text(grounder.name(), 64));
            Dcm.put(alg, "AlgorithmVersion", FindingCodes.text(grounder.version(), 64));
            // Why this region: the method and its confidence, for the reader who doubts it.
            Dcm.put(alg, "AlgorithmParameters", FindingCodes.text(String.format(Locale.ROOT,
                    "method=%s; confidence=%.2f; assertion=%s", g.method(), g.confidence(), f.assertion()), 10240));
            Dcm.putInt(item, "RecommendedDisplayCIELabValue", CieLab.fromRgb(PALETTE[s % PALETTE.length]));
            Dcm.put(item, "TrackingID", FindingCodes.text(g.trackingId(), 64));
            Dcm.put(item, "TrackingUID", g.trackingUid());
        }
    }
}
