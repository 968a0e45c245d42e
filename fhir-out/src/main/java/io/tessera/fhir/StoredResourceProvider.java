package io.tessera.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Read, version read and instance history over one resource type of a {@link FhirRepository}; subclasses declare the
 * HAPI operations (HAPI binds the annotated methods of each provider class) and their search parameters.
 */
abstract class StoredResourceProvider<T extends Resource> implements IResourceProvider {
    final FhirRepository repo;
    private final Class<T> type;

    StoredResourceProvider(FhirRepository repo, Class<T> type) {
        this.repo = repo;
        this.type = type;
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    /** The current version, or with {@code /_history/n} that version. */
    T find(IdType id) {
        String name = type.getSimpleName();
        if (id.hasVersionIdPart()) {
            int version;
            try {
                version = Integer.parseInt(id.getVersionIdPart());
            } catch (NumberFormatException e) {
                throw new ResourceNotFoundException(id);
            }
            return repo.vread(name, id.getIdPart(), version).map(type::cast)
                    .orElseThrow(() -> new ResourceNotFoundException(id));
        }
        return repo.read(name, id.getIdPart()).map(type::cast)
                .orElseThrow(() -> new ResourceNotFoundException(name + "/" + id.getIdPart()));
    }

    /** Every version of one resource, newest first. */
    IBundleProvider versions(IdType id) {
        List<Resource> all = repo.history(type.getSimpleName(), id.getIdPart());
        if (all.isEmpty()) throw new ResourceNotFoundException(type.getSimpleName() + "/" + id.getIdPart());
        return new SimpleBundleProvider(all);
    }

    SearchSpec spec() {
        return new SearchSpec(type.getSimpleName());
    }
}
