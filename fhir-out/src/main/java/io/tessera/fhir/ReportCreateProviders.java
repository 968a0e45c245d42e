package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * {@code POST /fhir/DiagnosticReport} and {@code POST /fhir/DocumentReference}: a radiology report for a study, handed
 * to a {@link ReportReceiver}. Answers 201 with {@code Location: <type>/intake-<id>} and an OperationOutcome saying
 * where it was stored, or 422 with the reason ({@code TSR-08xx}). The posted resource is an input, not one of
 * Tessera's results: it is not served back by read or search (a GET of the location answers 404).
 */
final class ReportCreateProviders {
    private ReportCreateProviders() {}

    static MethodOutcome created(String type, String id) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("report stored as " + id + "; it will be used to ground findings in its study");
        return new MethodOutcome(new IdType(type, "intake-" + id)).setCreated(true).setOperationOutcome(oo);
    }

    static UnprocessableEntityException refused(String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(message);
        return new UnprocessableEntityException(message, oo);
    }

    /** DiagnosticReport create; read and search stay with {@link DiagnosticReportProvider}. */
    public static final class DiagnosticReports implements IResourceProvider {
        private final ReportReceiver receiver;

        DiagnosticReports(ReportReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public Class<DiagnosticReport> getResourceType() {
            return DiagnosticReport.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam DiagnosticReport report) {
            try {
                return created("DiagnosticReport", receiver.receive(ReportResources.of(report)));
            } catch (ReportReceiver.Refused e) {
                throw refused(e.getMessage());
            }
        }
    }

    /** DocumentReference create (the only DocumentReference operation Tessera offers). */
    public static final class DocumentReferences implements IResourceProvider {
        private final ReportReceiver receiver;

        DocumentReferences(ReportReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public Class<DocumentReference> getResourceType() {
            return DocumentReference.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam DocumentReference document) {
            try {
                return created("DocumentReference", receiver.receive(ReportResources.of(document)));
            } catch (ReportReceiver.Refused e) {
                throw refused(e.getMessage());
            }
        }
    }
}
