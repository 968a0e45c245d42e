package io.tessera.fhir;

import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.ImagingStudy;

/** Series bookkeeping of an ImagingStudy: the counts it states, and merging the series that several results list. */
final class ImagingStudySeries {
    private ImagingStudySeries() {}

    /** Sets numberOfSeries, numberOfInstances and the study's modalities (each once) from the series listed. */
    static void recount(ImagingStudy s) {
        int instances = 0;
        java.util.Map<String, org.hl7.fhir.r4.model.Coding> modalities = new java.util.LinkedHashMap<>();
        for (ImagingStudy.ImagingStudySeriesComponent series : s.getSeries()) {
            instances += series.getNumberOfInstances();
            if (series.hasModality()) modalities.putIfAbsent(series.getModality().getCode(), series.getModality().copy());
        }
        s.setNumberOfSeries(s.getSeries().size());
        s.setNumberOfInstances(instances);
        s.setModality(new java.util.ArrayList<>(modalities.values()));
    }

    /**
     * A copy of {@code base} that also lists the series of {@code other} it lacks: two models' results on one study
     * share one ImagingStudy (same id), each adding its SEG series.
     */
    static ImagingStudy merge(ImagingStudy base, ImagingStudy other) {
        ImagingStudy out = base.copy();
        Set<String> uids = new HashSet<>();
        for (ImagingStudy.ImagingStudySeriesComponent s : out.getSeries()) uids.add(s.getUid());
        for (ImagingStudy.ImagingStudySeriesComponent s : other.getSeries()) {
            if (uids.add(s.getUid())) out.addSeries(s.copy());
        }
        recount(out);
        return out;
    }
}
