package io.tessera.routes.reports;

import java.util.List;

/**
 * What Tessera takes from one ORU^R01: the header fields an ACK and de-duplication need, and one order per OBR.
 *
 * @param sender MSH-3 and MSH-4 joined with {@code ^} (with the control ID it identifies a message)
 */
record OruMessage(String controlId, String sender, List<Order> orders) {
    /**
     * One OBR with its OBX segments. {@code text} is PHI-ish: never log it.
     *
     * @param accessionNumber from the configured field (default OBR-3), or null
     * @param studyInstanceUid from ZDS-1 or an OBX {@code 113014^Study Instance UID^DCM}, or null
     */
    record Order(String accessionNumber, String studyInstanceUid, String text) {
        @Override
        public String toString() {
            return "Order[study=" + studyInstanceUid + ", " + text.length() + " chars]";
        }
    }
}
