package io.tessera.routes.reports;

/** How a report reached Tessera. */
public enum ReportSource {
    /** A Basic Text, Enhanced or Comprehensive SR instance in the study. */
    SR,
    /** An HL7 v2 ORU^R01 over MLLP. */
    HL7,
    /** A DiagnosticReport or DocumentReference posted to Tessera's FHIR endpoint. */
    FHIR,
    /** {@code POST /api/reports}. */
    REST
}
