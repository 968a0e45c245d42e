package io.tessera.routes.reports;

import io.tessera.fhir.ReceivedReport;
import io.tessera.fhir.ReportReceiver;

/** The FHIR endpoint's {@link ReportReceiver}: a posted DiagnosticReport/DocumentReference goes through the intake. */
public final class FhirReports {
    private FhirReports() {}

    public static ReportReceiver receiver(ReportIntake intake) {
        return (ReceivedReport r) -> {
            try {
                return String.valueOf(intake.accept(new IncomingReport(r.studyInstanceUid(), r.accessionNumber(),
                        ReportSource.FHIR, r.sourceId() == null ? null : r.resourceType() + "|" + r.sourceId(), r.text()))
                        .report().id());
            } catch (ReportRejected e) {
                throw new ReportReceiver.Refused(e.getMessage());
            }
        };
    }
}
