package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;

/** Provenance of each result (which model made it, from which study) read, version read, history and search. */
public final class ProvenanceProvider extends StoredResourceProvider<Provenance> {
    ProvenanceProvider(FhirRepository repo) {
        super(repo, Provenance.class);
    }

    @Read(version = true)
    public Provenance read(@IdParam IdType id) {
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
            @OptionalParam(name = Provenance.SP_TARGET) ReferenceAndListParam target,
            @OptionalParam(name = Provenance.SP_AGENT) ReferenceAndListParam agent,
            @OptionalParam(name = Provenance.SP_ENTITY) ReferenceAndListParam entity,
            @OptionalParam(name = Provenance.SP_RECORDED) DateAndListParam recorded,
            @Sort SortSpec sort) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("target", target)
                .and("agent", agent).and("entity", entity).and("recorded", recorded).sort(sort));
    }
}
