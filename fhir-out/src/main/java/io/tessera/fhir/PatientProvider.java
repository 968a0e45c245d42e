package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** Patient read and search by identifier. */
public final class PatientProvider extends StoredResourceProvider<Patient> {
    PatientProvider(FhirRepository repo) {
        super(repo, Patient.class);
    }

    @Read
    public Patient read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier) {
        return filter(p -> SearchMatch.identifier(identifier, p.getIdentifier()));
    }
}
