package io.tessera.routes.reports;

/**
 * A report as an intake path received it, before validation. At least one of {@code studyInstanceUid} and
 * {@code accessionNumber} must be given (null or blank: absent).
 *
 * @param sourceId what makes a redelivery recognisable within its source (SR: SOP Instance UID; HL7: sender and
 *                 message control ID; FHIR: the resource's identifier), or null when there is nothing: a report with
 *                 the same (source, sourceId) as a stored one is a duplicate and is not stored again
 * @param text     the report text; PHI-ish: never log it ({@link #toString()} leaves it out)
 */
public record IncomingReport(String studyInstanceUid, String accessionNumber, ReportSource source, String sourceId,
                             String text) {
    @Override
    public String toString() {
        return "IncomingReport[study=" + studyInstanceUid + ", source=" + source + ", sourceId=" + sourceId + ", "
                + (text == null ? 0 : text.length()) + " chars]";
    }
}
