package io.tessera.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The result of one search: the matching ids, fixed when the search ran, so that paging through it with HAPI's
 * {@code next} links neither repeats nor skips a resource while results are being added; each page loads the current
 * versions of its ids and what its {@code _include}/{@code _revinclude} ask for.
 */
final class SnapshotBundle implements IBundleProvider {
    private final FhirRepository repo;
    private final String type;
    private final List<String> ids;
    private final Set<Include> includes;
    private final Set<Include> revIncludes;
    private final InstantType published;

    SnapshotBundle(FhirRepository repo, String type, List<String> ids, Set<Include> includes, Set<Include> revIncludes,
                   Date published) {
        this.repo = repo;
        this.type = type;
        this.ids = List.copyOf(ids);
        this.includes = includes;
        this.revIncludes = revIncludes;
        this.published = new InstantType(published);
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int from, int to) {
        List<String> page = ids.subList(Math.min(from, ids.size()), Math.min(to, ids.size()));
        List<IBaseResource> out = new ArrayList<>();
        for (Resource r : repo.load(type, page)) out.add(Includes.asMatch(r));
        if (includes.isEmpty() && revIncludes.isEmpty()) return out;
        Map<String, List<String>> extra = FhirRepository.sql(() -> {
            try (Connection c = repo.dataSource().getConnection()) {
                return Includes.targets(c, type, page, includes, revIncludes);
            }
        });
        extra.forEach((t, list) -> {
            for (Resource r : repo.load(t, list)) out.add(Includes.asIncluded(r));
        });
        return out;
    }

    @Override
    public String getUuid() {
        return null; // HAPI's paging provider keeps this snapshot and names it
    }

    @Override
    public Integer preferredPageSize() {
        return null;
    }

    @Override
    public Integer size() {
        return ids.size();
    }
}
