package io.tessera.fhir;

/**
 * Takes reports posted to Tessera's FHIR endpoint (DiagnosticReport or DocumentReference {@code create}) into the
 * report store; implemented outside fhir-out (routes' report intake), so fhir-out keeps depending on core only.
 */
@FunctionalInterface
public interface ReportReceiver {
    /**
     * Stores the report durably and returns its id in the store.
     *
     * @throws Refused when the sender must change the report (answered 422 with the message)
     * @throws RuntimeException when it could not be stored (answered 500; the sender may retry)
     */
    String receive(ReceivedReport report) throws Refused;

    /** The report cannot be taken as sent; the message starts with a stable code. */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }
}
