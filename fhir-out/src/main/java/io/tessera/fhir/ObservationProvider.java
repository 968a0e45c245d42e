package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/** Observation read and search by patient, subject, code, identifier (tracking UID) and device. */
public final class ObservationProvider extends StoredResourceProvider<Observation> {
    ObservationProvider(FhirRepository repo) {
        super(repo, Observation.class);
    }

    @Read
    public Observation read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<Observation> search(
            @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
            @OptionalParam(name = Observation.SP_CODE) TokenParam code,
            @OptionalParam(name = Observation.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = Observation.SP_DEVICE) ReferenceParam device) {
        return filter(o -> SearchMatch.reference(patient, "Patient", o.getSubject())
                && SearchMatch.reference(subject, "Patient", o.getSubject())
                && SearchMatch.code(code, o.getCode())
                && SearchMatch.identifier(identifier, o.getIdentifier())
                && SearchMatch.reference(device, "Device", o.getDevice()));
    }
}
