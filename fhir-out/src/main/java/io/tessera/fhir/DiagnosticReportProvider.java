package io.tessera.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import java.util.Set;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;

/**
 * DiagnosticReport read, version read, history and search. Besides the standard parameters: {@code imaging-study}
 * (reference) and {@code accession} (the order's accession number, on {@code basedOn.identifier}).
 */
public final class DiagnosticReportProvider extends StoredResourceProvider<DiagnosticReport> {
    DiagnosticReportProvider(FhirRepository repo) {
        super(repo, DiagnosticReport.class);
    }

    @Read(version = true)
    public DiagnosticReport read(@IdParam IdType id) {
        return find(id);
    }

    @History
    public IBundleProvider history(@IdParam IdType id) {
        return versions(id);
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = "_id") TokenAndListParam id,
            @OptionalParam(name = "_lastUpdated") DateAndListParam lastUpdated,
            @OptionalParam(name = DiagnosticReport.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = DiagnosticReport.SP_SUBJECT) ReferenceAndListParam subject,
            @OptionalParam(name = DiagnosticReport.SP_CATEGORY) TokenAndListParam category,
            @OptionalParam(name = DiagnosticReport.SP_CODE) TokenAndListParam code,
            @OptionalParam(name = DiagnosticReport.SP_DATE) DateAndListParam date,
            @OptionalParam(name = DiagnosticReport.SP_ISSUED) DateAndListParam issued,
            @OptionalParam(name = DiagnosticReport.SP_STATUS) TokenAndListParam status,
            @OptionalParam(name = DiagnosticReport.SP_IDENTIFIER) TokenAndListParam identifier,
            @OptionalParam(name = DiagnosticReport.SP_BASED_ON) ReferenceAndListParam basedOn,
            @OptionalParam(name = DiagnosticReport.SP_RESULT) ReferenceAndListParam result,
            @OptionalParam(name = DiagnosticReport.SP_CONCLUSION) TokenAndListParam conclusion,
            @OptionalParam(name = DiagnosticReport.SP_PERFORMER) ReferenceAndListParam performer,
            @OptionalParam(name = DiagnosticReport.SP_RESULTS_INTERPRETER) ReferenceAndListParam interpreter,
            @OptionalParam(name = "imaging-study") ReferenceAndListParam imagingStudy,
            @OptionalParam(name = "accession") TokenAndListParam accession,
            @Sort SortSpec sort,
            @IncludeParam(allow = {"DiagnosticReport:result", "DiagnosticReport:subject", "DiagnosticReport:patient",
                    "DiagnosticReport:imaging-study", "DiagnosticReport:performer", "DiagnosticReport:results-interpreter",
                    "*"}) Set<Include> include,
            @IncludeParam(reverse = true, allow = {"Provenance:target"}) Set<Include> revInclude) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("patient", patient)
                .and("subject", subject).and("category", category).and("code", code).and("date", date)
                .and("issued", issued).and("status", status).and("identifier", identifier).and("based-on", basedOn)
                .and("result", result).and("conclusion", conclusion).and("performer", performer)
                .and("results-interpreter", interpreter).and("imaging-study", imagingStudy).and("accession", accession)
                .sort(sort).include(include, revInclude));
    }
}
