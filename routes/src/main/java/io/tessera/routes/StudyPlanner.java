package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.config.RouteConfig;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.listener.InstanceRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a complete study's instances into jobs: groups them by series, summarises each series from its headers and
 * asks the rules which models and destinations apply. Segmentation results only come from image series, so
 * SEG/SR/other non-image series in the study are skipped.
 */
public final class StudyPlanner {
    private final RuleMatcher rules;
    private final Map<String, DestinationConfig> destinations;

    public StudyPlanner(List<RouteConfig> routes, List<DestinationConfig> destinations) {
        this.rules = new RuleMatcher(routes);
        this.destinations = new LinkedHashMap<>();
        destinations.forEach(d -> this.destinations.put(d.name(), d));
    }

    public List<SeriesSummary> summarise(String studyUid, List<InstanceRecord> instances) throws java.io.IOException {
        Map<String, List<InstanceRecord>> bySeries = new LinkedHashMap<>();
        for (InstanceRecord r : instances) bySeries.computeIfAbsent(r.seriesUid(), k -> new ArrayList<>()).add(r);
        List<SeriesSummary> out = new ArrayList<>();
        for (var e : bySeries.entrySet()) {
            InstanceRecord first = e.getValue().get(0);
            Map<String, String> h = DicomHeaders.read(first.path());
            if (!h.containsKey("SOPInstanceUID")) {
                throw new java.io.IOException("TSR-0504: spooled instance " + first.path().getFileName()
                        + " of series " + e.getKey() + " is not readable DICOM (the spool may be damaged)");
            }
            List<Path> files = e.getValue().stream().map(InstanceRecord::path).toList();
            out.add(new SeriesSummary(studyUid, e.getKey(), h.getOrDefault("Modality", first.modality()),
                    h.get("BodyPartExamined"), h.get("SeriesDescription"), first.callingAe(), files));
        }
        return out;
    }

    public List<Job> plan(List<SeriesSummary> series, int version) {
        List<Job> jobs = new ArrayList<>();
        for (SeriesSummary s : series) {
            for (RouteConfig rule : rules.matching(s)) {
                List<DestinationConfig> dests = rule.destinations().stream().map(destinations::get).toList();
                for (String model : rule.models()) jobs.add(new Job(rule.name(), s, version, model, dests));
            }
        }
        return jobs;
    }
}
