package io.tessera.fhir;

import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/** Read and filter-by-predicate over one resource type of a {@link FhirRepository}; subclasses declare the HAPI operations. */
abstract class StoredResourceProvider<T extends Resource> implements IResourceProvider {
    private final FhirRepository repo;
    private final Class<T> type;

    StoredResourceProvider(FhirRepository repo, Class<T> type) {
        this.repo = repo;
        this.type = type;
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    T find(IdType id) {
        String name = type.getSimpleName();
        return repo.read(name, id.getIdPart()).map(type::cast)
                .orElseThrow(() -> new ResourceNotFoundException(name + "/" + id.getIdPart()));
    }

    List<T> filter(Predicate<T> match) {
        List<T> out = new ArrayList<>();
        for (Resource r : repo.all(type.getSimpleName())) {
            T t = type.cast(r);
            if (match.test(t)) out.add(t);
        }
        return out;
    }
}
