package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;

/** ImagingStudy read and search by identifier ({@code urn:dicom:uid|urn:oid:<StudyInstanceUID>} or accession) and patient. */
public final class ImagingStudyProvider extends StoredResourceProvider<ImagingStudy> {
    ImagingStudyProvider(FhirRepository repo) {
        super(repo, ImagingStudy.class);
    }

    @Read
    public ImagingStudy read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<ImagingStudy> search(
            @OptionalParam(name = ImagingStudy.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = ImagingStudy.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = ImagingStudy.SP_SUBJECT) ReferenceParam subject) {
        return filter(s -> SearchMatch.identifier(identifier, s.getIdentifier())
                && SearchMatch.reference(patient, "Patient", s.getSubject())
                && SearchMatch.reference(subject, "Patient", s.getSubject()));
    }
}
