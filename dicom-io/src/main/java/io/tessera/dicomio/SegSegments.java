package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Segmentation;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Uids;
import java.util.List;

/** Segment Sequence: segments numbered from 1 in label order, SCT-coded, AUTOMATIC with algorithm identification. */
final class SegSegments {
    private SegSegments() {}

    static void put(AttributeList l, Segmentation seg, SegSpec spec) {
        SequenceAttribute seq = Dcm.seq(l, "SegmentSequence");
        List<SegmentLabel> labels = seg.segments();
        for (int s = 0; s < labels.size(); s++) {
            SegmentLabel label = labels.get(s);
            AttributeList item = Dcm.item(seq);
            Dcm.putInt(item, "SegmentNumber", s + 1);
            Dcm.put(item, "SegmentLabel", truncate(label.displayName(), 64));
            Dcm.put(item, "SegmentDescription", truncate(label.name(), 64));
            Dcm.code(item, "SegmentedPropertyCategoryCodeSequence", label.category());
            Dcm.code(item, "SegmentedPropertyTypeCodeSequence", label.type());
            Dcm.put(item, "SegmentAlgorithmType", "AUTOMATIC");
            Dcm.put(item, "SegmentAlgorithmName", truncate(seg.model().name(), 64));
            AttributeList alg = Dcm.item(Dcm.seq(item, "SegmentationAlgorithmIdentificationSequence"));
            Dcm.code(alg, "AlgorithmFamilyCodeSequence", Codes.ARTIFICIAL_INTELLIGENCE);
            Dcm.put(alg, "AlgorithmName", truncate(seg.model().name(), 64));
            Dcm.put(alg, "AlgorithmVersion", truncate(seg.model().version(), 64));
            // Provenance a reviewer can check against the model package: which ONNX file, run where.
            String sha = seg.model().sha256();
            if (sha != null && !sha.isBlank()) {
                Dcm.put(alg, "AlgorithmParameters", "onnx-sha256=" + sha + "; provider="
                        + (seg.model().provider() == null ? "unknown" : seg.model().provider()));
            }
            int[] lab = CieLab.fromRgb(label.rgb());
            Dcm.putInt(item, "RecommendedDisplayCIELabValue", lab);
            // Tracking identifiers let SR measurements and FHIR Observations point at this segment.
            Dcm.put(item, "TrackingID", truncate(label.name(), 64));
            Dcm.put(item, "TrackingUID", Uids.segmentTrackingUid(spec.sopInstanceUid(), s + 1));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
