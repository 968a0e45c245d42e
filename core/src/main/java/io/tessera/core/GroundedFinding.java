package io.tessera.core;

import java.util.Objects;

/**
 * A report finding located in the image, or the reason it could not be. When grounded, {@code mask} holds value 1
 * on the source series' grid and the bounding box is in patient coordinates (LPS, mm). The tracking UID links the
 * SEG segment, the SR measurement group and the FHIR Observation of this one finding.
 *
 * @param method how it was grounded, e.g. {@code segmentation+lesion} or {@code model:phantom-grounding 1.0.0}
 */
public record GroundedFinding(ReportFinding finding, String trackingId, String trackingUid, boolean grounded,
                              String reason, LabelMap mask, double[] bboxMinLps, double[] bboxMaxLps,
                              double confidence, double volumeMl, double maxDiameterMm, String method) {
    public GroundedFinding {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(trackingUid, "trackingUid");
        if (grounded && mask == null) throw new IllegalArgumentException("a grounded finding needs a mask");
        if (!grounded && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("an ungrounded finding needs a reason");
        }
        bboxMinLps = bboxMinLps == null ? null : bboxMinLps.clone();
        bboxMaxLps = bboxMaxLps == null ? null : bboxMaxLps.clone();
    }

    public static GroundedFinding notGrounded(ReportFinding f, String trackingId, String trackingUid, String reason) {
        return new GroundedFinding(f, trackingId, trackingUid, false, reason, null, null, null, 0, 0, 0, "none");
    }
}
