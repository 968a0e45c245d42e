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
            Map<String, String> h = DicomHeaders.readAll(first.path());
            if (!h.containsKey("SOPInstanceUID")) {
                throw new java.io.IOException("TSR-0504: spooled instance " + first.path().getFileName()
                        + " of series " + e.getKey() + " is not readable DICOM (the spool may be damaged)");
            }
            List<Path> files = e.getValue().stream().map(InstanceRecord::path).toList();
            out.add(new SeriesSummary(studyUid, e.getKey(), h.getOrDefault("Modality", first.modality()),
                    h.get("BodyPartExamined"), h.get("SeriesDescription"), first.callingAe(), files, h));
        }
        return out;
    }

    /**
     * Every (rule, selected series, model) in rule priority order. A rule's {@code select} picks among the series it
     * matches: all, the thinnest (smallest SliceThickness), or the one with most instances.
     */
    public List<Job> plan(List<SeriesSummary> series, int version) {
        return plan(series, version, java.time.LocalTime.now());
    }

    public List<Job> plan(List<SeriesSummary> series, int version, java.time.LocalTime now) {
        List<Job> jobs = new ArrayList<>();
        for (RouteConfig rule : rules.rules()) {
            List<SeriesSummary> taken = select(rule, series.stream().filter(s -> RuleMatcher.explain(rule, s, now).matches()).toList());
            List<DestinationConfig> dests = rule.destinations().stream().map(destinations::get).toList();
            for (SeriesSummary s : taken) {
                if (rule.models().isEmpty()) jobs.add(Job.forward(rule.name(), s, version, dests));
                for (String model : rule.models()) jobs.add(new Job(rule.name(), s, version, model, dests));
            }
        }
        return jobs;
    }

    static List<SeriesSummary> select(RouteConfig rule, List<SeriesSummary> matching) {
        if (matching.size() <= 1) return matching;
        return switch (rule.selectOrAll()) {
            case "thinnest" -> List.of(matching.stream().min(java.util.Comparator.comparingDouble(SeriesSummary::sliceThickness)
                    .thenComparing(java.util.Comparator.comparingInt(SeriesSummary::instanceCount).reversed())).orElseThrow());
            case "most-instances" -> List.of(matching.stream().max(java.util.Comparator.comparingInt(SeriesSummary::instanceCount))
                    .orElseThrow());
            default -> matching;
        };
    }

    public RuleMatcher rules() {
        return rules;
    }

    /** Series of the DICOM files under {@code dir} (any depth), as the dry run sees a study on disk. */
    public static List<SeriesSummary> summariseFolder(Path dir, String callingAe) throws java.io.IOException {
        Map<String, List<Path>> bySeries = new LinkedHashMap<>();
        Map<String, Map<String, String>> first = new LinkedHashMap<>();
        List<Path> files;
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            files = walk.filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            Map<String, String> h;
            try {
                h = DicomHeaders.read(f);
            } catch (java.io.IOException notDicom) {
                continue;
            }
            String series = h.get("SeriesInstanceUID");
            if (series == null) continue;
            bySeries.computeIfAbsent(series, k -> new ArrayList<>()).add(f);
            if (!first.containsKey(series)) first.put(series, DicomHeaders.readAll(f));
        }
        List<SeriesSummary> out = new ArrayList<>();
        for (var e : bySeries.entrySet()) {
            Map<String, String> h = first.get(e.getKey());
            out.add(new SeriesSummary(h.get("StudyInstanceUID"), e.getKey(), h.get("Modality"), h.get("BodyPartExamined"),
                    h.get("SeriesDescription"), callingAe, e.getValue(), h));
        }
        return out;
    }
}
