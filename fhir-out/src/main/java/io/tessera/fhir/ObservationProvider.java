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
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/** Observation read, version read, history and search. */
public final class ObservationProvider extends StoredResourceProvider<Observation> {
    ObservationProvider(FhirRepository repo) {
        super(repo, Observation.class);
    }

    @Read(version = true)
    public Observation read(@IdParam IdType id) {
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
            @OptionalParam(name = Observation.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = Observation.SP_SUBJECT) ReferenceAndListParam subject,
            @OptionalParam(name = Observation.SP_CATEGORY) TokenAndListParam category,
            @OptionalParam(name = Observation.SP_CODE) TokenAndListParam code,
            @OptionalParam(name = Observation.SP_DATE) DateAndListParam date,
            @OptionalParam(name = Observation.SP_STATUS) TokenAndListParam status,
            @OptionalParam(name = Observation.SP_DERIVED_FROM) ReferenceAndListParam derivedFrom,
            @OptionalParam(name = Observation.SP_IDENTIFIER) TokenAndListParam identifier,
            @OptionalParam(name = Observation.SP_DEVICE) ReferenceAndListParam device,
            @OptionalParam(name = Observation.SP_METHOD) TokenAndListParam method,
            @OptionalParam(name = Observation.SP_FOCUS) ReferenceAndListParam focus,
            @Sort SortSpec sort,
            @IncludeParam(allow = {"Observation:subject", "Observation:patient", "Observation:derived-from",
                    "Observation:device", "*"}) Set<Include> include,
            @IncludeParam(reverse = true, allow = {"DiagnosticReport:result", "Provenance:target"}) Set<Include> revInclude) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("patient", patient)
                .and("subject", subject).and("category", category).and("code", code).and("date", date)
                .and("status", status).and("derived-from", derivedFrom).and("identifier", identifier)
                .and("device", device).and("method", method).and("focus", focus)
                .sort(sort).include(include, revInclude));
    }
}
