package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** Patient read, and search by identifier or id. */
public final class PatientProvider extends StoredResourceProvider<Patient> {
    PatientProvider(FhirRepository repo) {
        super(repo, Patient.class);
    }

    @Read
    public Patient read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                @OptionalParam(name = "_id") TokenAndListParam ids) {
        return filter(p -> SearchMatch.identifier(identifier, p.getIdentifier()) && idMatches(ids, p));
    }

    /** {@code _id}, which a patient-bound caller's searches are narrowed with: every AND clause holds one of its ids. */
    private static boolean idMatches(TokenAndListParam ids, Patient p) {
        if (ids == null) return true;
        String own = p.getIdElement().getIdPart();
        return ids.getValuesAsQueryTokens().stream().allMatch(or -> or.getValuesAsQueryTokens().stream()
                .anyMatch(t -> own.equals(new IdType(t.getValue()).getIdPart())));
    }
}
