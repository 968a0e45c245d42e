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
import org.hl7.fhir.r4.model.ImagingStudy;

/** ImagingStudy read, version read, history and search ({@code identifier}: {@code urn:dicom:uid|urn:oid:<uid>} or the accession). */
public final class ImagingStudyProvider extends StoredResourceProvider<ImagingStudy> {
    ImagingStudyProvider(FhirRepository repo) {
        super(repo, ImagingStudy.class);
    }

    @Read(version = true)
    public ImagingStudy read(@IdParam IdType id) {
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
            @OptionalParam(name = ImagingStudy.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = ImagingStudy.SP_SUBJECT) ReferenceAndListParam subject,
            @OptionalParam(name = ImagingStudy.SP_IDENTIFIER) TokenAndListParam identifier,
            @OptionalParam(name = ImagingStudy.SP_STARTED) DateAndListParam started,
            @OptionalParam(name = ImagingStudy.SP_MODALITY) TokenAndListParam modality,
            @OptionalParam(name = ImagingStudy.SP_SERIES) TokenAndListParam series,
            @OptionalParam(name = ImagingStudy.SP_STATUS) TokenAndListParam status,
            @Sort SortSpec sort,
            @IncludeParam(allow = {"ImagingStudy:subject", "ImagingStudy:patient", "*"}) Set<Include> include,
            @IncludeParam(reverse = true, allow = {"DiagnosticReport:imaging-study", "Observation:derived-from",
                    "Provenance:target"}) Set<Include> revInclude) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("patient", patient)
                .and("subject", subject).and("identifier", identifier).and("started", started)
                .and("modality", modality).and("series", series).and("status", status)
                .sort(sort).include(include, revInclude));
    }
}
