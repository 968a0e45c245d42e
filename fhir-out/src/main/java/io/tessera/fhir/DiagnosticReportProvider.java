package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * DiagnosticReport read and search. Besides the standard parameters: {@code imaging-study} (reference) and
 * {@code accession} (the accession number of the order, matched on {@code basedOn.identifier}).
 */
public final class DiagnosticReportProvider extends StoredResourceProvider<DiagnosticReport> {
    DiagnosticReportProvider(FhirRepository repo) {
        super(repo, DiagnosticReport.class);
    }

    @Read
    public DiagnosticReport read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<DiagnosticReport> search(
            @OptionalParam(name = DiagnosticReport.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = DiagnosticReport.SP_SUBJECT) ReferenceParam subject,
            @OptionalParam(name = DiagnosticReport.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = DiagnosticReport.SP_STATUS) TokenParam status,
            @OptionalParam(name = DiagnosticReport.SP_DATE) DateRangeParam date,
            @OptionalParam(name = "imaging-study") ReferenceParam imagingStudy,
            @OptionalParam(name = "accession") TokenParam accession) {
        return filter(r -> SearchMatch.reference(patient, "Patient", r.getSubject())
                && SearchMatch.reference(subject, "Patient", r.getSubject())
                && SearchMatch.identifier(identifier, r.getIdentifier())
                && SearchMatch.code(status, r.hasStatus() ? r.getStatus().toCode() : null)
                && SearchMatch.date(date, r.hasEffectiveDateTimeType() ? r.getEffectiveDateTimeType() : null)
                && SearchMatch.anyReference(imagingStudy, "ImagingStudy", r.getImagingStudy())
                && SearchMatch.identifier(accession, r.getBasedOn().stream().map(Reference::getIdentifier).toList()));
    }
}
