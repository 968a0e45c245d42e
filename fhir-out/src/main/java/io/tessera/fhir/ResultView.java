package io.tessera.fhir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the current result sets of one study serve, by {@code Type/id}. Sets of one study share the Patient,
 * ImagingStudy and Device ids: the ImagingStudy lists the series of all of them, any other shared resource is the one
 * issued last.
 */
final class ResultView {
    private ResultView() {}

    static Map<String, Resource> of(Collection<FhirResultSet> sets) {
        List<FhirResultSet> ordered = new ArrayList<>(sets);
        ordered.sort(Comparator.comparing((FhirResultSet s) -> s.report().getIssued()).thenComparing(FhirResultSet::key));
        Map<String, Resource> out = new LinkedHashMap<>();
        for (FhirResultSet set : ordered) {
            for (Resource r : set.resources()) {
                String ref = r.fhirType() + "/" + r.getIdElement().getIdPart();
                Resource before = out.get(ref);
                out.put(ref, before instanceof ImagingStudy a && r instanceof ImagingStudy b
                        ? ImagingStudySeries.merge(a, b) : r);
            }
        }
        return out;
    }
}
