package io.tessera.dicomio;

import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import java.util.List;
import java.util.Objects;

/**
 * What a TID 1500 measurement report says: the grounded report findings (one measurement group each, pointing at its
 * segment of the grounding SEG) and, optionally, the organ segmentation (one volume group per non-empty segment,
 * pointing at the organ SEG).
 *
 * @param source       the series the findings and segments were made on
 * @param grounder     the grounding method: the SR's device observer
 * @param findings     all grounding results (ungrounded and negated ones included: the writer sorts them)
 * @param groundingSeg the grounding SEG written by {@link GroundingSegWriter}; {@code null} only when no finding is located
 * @param organs       the organ segmentation, or {@code null}
 * @param organSeg     the organ SEG written by {@link SegWriter} for {@code organs}, or {@code null}
 */
public record MeasurementReport(SourceSeries source, ModelIdentity grounder, List<GroundedFinding> findings,
                                SegInfo groundingSeg, Segmentation organs, SegInfo organSeg) {
    public MeasurementReport {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(grounder, "grounder");
        findings = List.copyOf(findings);
        if (groundingSeg == null && !FindingCodes.located(findings).isEmpty()) {
            throw new IllegalArgumentException("TSR-0232: located findings need the grounding SEG they are segments of");
        }
        if ((organs == null) != (organSeg == null)) {
            throw new IllegalArgumentException("TSR-0232: organ volumes need both the segmentation and its SEG");
        }
    }

    /** Findings only. */
    public static MeasurementReport of(SourceSeries source, ModelIdentity grounder, List<GroundedFinding> findings,
                                       SegInfo groundingSeg) {
        return new MeasurementReport(source, grounder, findings, groundingSeg, null, null);
    }

    /** The same report with organ volume groups added. */
    public MeasurementReport withOrgans(Segmentation organs, SegInfo organSeg) {
        return new MeasurementReport(source, grounder, findings, groundingSeg, organs, organSeg);
    }
}
