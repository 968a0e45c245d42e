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
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** Patient read, version read, history and search ({@code _id} is what a patient-bound caller's searches are narrowed with). */
public final class PatientProvider extends StoredResourceProvider<Patient> {
    PatientProvider(FhirRepository repo) {
        super(repo, Patient.class);
    }

    @Read(version = true)
    public Patient read(@IdParam IdType id) {
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
            @OptionalParam(name = Patient.SP_IDENTIFIER) TokenAndListParam identifier,
            @OptionalParam(name = Patient.SP_NAME) StringAndListParam name,
            @OptionalParam(name = Patient.SP_FAMILY) StringAndListParam family,
            @OptionalParam(name = Patient.SP_GIVEN) StringAndListParam given,
            @OptionalParam(name = Patient.SP_BIRTHDATE) DateAndListParam birthdate,
            @OptionalParam(name = Patient.SP_GENDER) TokenAndListParam gender,
            @Sort SortSpec sort,
            @IncludeParam(reverse = true, allow = {"DiagnosticReport:subject", "DiagnosticReport:patient",
                    "ImagingStudy:patient", "Observation:patient"}) Set<Include> revInclude) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("identifier", identifier)
                .and("name", name).and("family", family).and("given", given).and("birthdate", birthdate)
                .and("gender", gender).sort(sort).include(Set.of(), revInclude));
    }
}
