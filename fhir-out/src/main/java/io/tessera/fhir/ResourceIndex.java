package io.tessera.fhir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Resource;

/**
 * An immutable view of the resources of several result sets, by type and id. Result sets of one study share the
 * Patient, ImagingStudy and Device ids: the ImagingStudy lists the series of all of them, the Patient is the one
 * issued last.
 */
final class ResourceIndex {
    private final Map<String, Map<String, Resource>> byType;

    private ResourceIndex(Map<String, Map<String, Resource>> byType) {
        this.byType = byType;
    }

    static ResourceIndex of(Collection<FhirResultSet> sets) {
        List<FhirResultSet> ordered = new ArrayList<>(sets);
        ordered.sort(Comparator.comparing((FhirResultSet s) -> s.report().getIssued()).thenComparing(FhirResultSet::key));
        Map<String, Map<String, Resource>> byType = new HashMap<>();
        for (FhirResultSet set : ordered) {
            for (Resource r : set.resources()) {
                Map<String, Resource> ofType = byType.computeIfAbsent(r.fhirType(), t -> new TreeMap<>());
                String id = r.getIdElement().getIdPart();
                Resource before = ofType.get(id);
                if (before instanceof ImagingStudy a && r instanceof ImagingStudy b) {
                    ofType.put(id, ImagingStudySeries.merge(a, b));
                } else {
                    ofType.put(id, r);
                }
            }
        }
        return new ResourceIndex(byType);
    }

    Optional<Resource> get(String type, String id) {
        return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(id));
    }

    Collection<Resource> all(String type) {
        return byType.getOrDefault(type, Map.of()).values();
    }

    List<String> references() {
        List<String> out = new ArrayList<>();
        byType.forEach((type, ofType) -> ofType.keySet().forEach(id -> out.add(type + "/" + id)));
        out.sort(null);
        return out;
    }
}
