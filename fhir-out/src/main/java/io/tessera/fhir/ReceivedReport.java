package io.tessera.fhir;

/**
 * A radiology report posted to Tessera's FHIR endpoint, reduced to what attaches it to a study and its text.
 *
 * @param studyInstanceUid the DICOM Study Instance UID (without {@code urn:oid:}), or null
 * @param accessionNumber  or null; at least one of the two is needed by the receiver
 * @param resourceType     {@code DiagnosticReport} or {@code DocumentReference}
 * @param sourceId         {@code system|value} of the resource's own business identifier, so a re-post is recognised,
 *                         or null
 * @param text             the report text; PHI-ish: never log it ({@link #toString()} leaves it out)
 */
public record ReceivedReport(String studyInstanceUid, String accessionNumber, String resourceType, String sourceId,
                             String text) {
    @Override
    public String toString() {
        return "ReceivedReport[" + resourceType + ", study=" + studyInstanceUid + ", " + (text == null ? 0 : text.length())
                + " chars]";
    }
}
