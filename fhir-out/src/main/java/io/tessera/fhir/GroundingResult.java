package io.tessera.fhir;

import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import java.util.List;
import java.util.Objects;

/**
 * The report-grounding part of a study's result, as FHIR shows it: the findings (one Observation per located finding),
 * who located them, and the DICOM objects that carry them (listed in the ImagingStudy).
 *
 * @param grounder          the grounding method or model: the Observations' Device
 * @param findings          all grounding results; only grounded, non-negated ones become Observations
 * @param groundingSeg      the grounding SEG, or {@code null} when none was written (nothing located)
 * @param measurementReport the TID 1500 SR, or {@code null}
 */
public record GroundingResult(ModelIdentity grounder, List<GroundedFinding> findings, SegReference groundingSeg,
                              SegReference measurementReport) {
    /** SOP Class UID of the Comprehensive 3D SR that carries the measurement report. */
    public static final String COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";

    public GroundingResult {
        Objects.requireNonNull(grounder, "grounder");
        findings = List.copyOf(findings);
    }

    /** A reference to the measurement report SR (one instance). */
    public static SegReference sr(String seriesUid, String sopUid, int seriesNumber, String description) {
        return new SegReference(seriesUid, sopUid, COMPREHENSIVE_3D_SR, seriesNumber, 1, description);
    }
}
