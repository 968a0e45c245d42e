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
 * asks the rules which models and destinations apply. A matched series a rule's models cannot use (a scout, a dose
 * screen, a dose SR, too few slices: {@link SeriesEligibility}) is skipped with its reason, which the plan keeps.
 */
public final class StudyPlanner {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StudyPlanner.class);
    private final RuleMatcher rules;
    private final Destinations destinations;
    /** Each rule's position in the configuration, for advice such as "set routes[2].match.minSlices". */
    private final Map<RouteConfig, Integer> positions = new java.util.IdentityHashMap<>();
    private final SkippedSeriesSink decisions;
    /** Which models run on single-frame images (classifiers): their rules take radiographs, not volumes. */
    private volatile java.util.function.Predicate<String> singleFrameModel = name -> false;
    /** A model's input channels (name, SeriesDescription regex), the first the route's series; empty for one series. */
    private volatile java.util.function.Function<String, List<ChannelRule>> channelRules = name -> List.of();

    /** One input channel of a multi-series model: its name and the SeriesDescription that finds its series. */
    public record ChannelRule(String name, String seriesDescription) {}

    /** Where a study version's skipped series are kept (the index's {@link SeriesDecisions}), or {@link #NONE}. */
    public interface SkippedSeriesSink {
        void record(String studyUid, int version, List<SkippedSeries> skipped);
    }

    /** Keeps nothing: for the dry run and tests, where the log line and the returned plan are enough. */
    public static final SkippedSeriesSink NONE = (studyUid, version, skipped) -> {};

    public StudyPlanner(List<RouteConfig> routes, List<DestinationConfig> destinations) {
        this(routes, Destinations.of(destinations), NONE);
    }

    public StudyPlanner(List<RouteConfig> routes, Destinations destinations) {
        this(routes, destinations, NONE);
    }

    public StudyPlanner(List<RouteConfig> routes, Destinations destinations, SkippedSeriesSink decisions) {
        this.rules = new RuleMatcher(routes);
        for (int i = 0; i < routes.size(); i++) positions.put(routes.get(i), i);
        this.destinations = destinations;
        this.decisions = decisions;
    }

    /** Tells the planner which models run on single-frame images (the loaded packages' {@code input.dimensions: 2d}). */
    public StudyPlanner withSingleFrameModels(java.util.function.Predicate<String> singleFrame) {
        this.singleFrameModel = singleFrame;
        return this;
    }

    /** Tells the planner which models take several series as channels ({@code input.channels} of the loaded packages). */
    public StudyPlanner withChannels(java.util.function.Function<String, List<ChannelRule>> rules) {
        this.channelRules = rules;
        return this;
    }

    /** Records the plan's skipped series for the study version (for {@code /api/studies}) in the sink given at construction. */
    public void record(String studyUid, int version, StudyPlan plan) {
        decisions.record(studyUid, version, plan.skipped());
        if (!plan.skipped().isEmpty()) {  // kinds only: descriptions stay out of the log
            log.info("study {} v{}: {} matched series skipped ({}); reasons in /api/studies", studyUid, version,
                    plan.skipped().size(), plan.skipped().stream().map(SkippedSeries::kind).distinct().toList());
        }
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
     * Every (rule, selected series, model) in rule priority order, and the matched series skipped as unusable. A rule's
     * {@code select} picks among the usable series it matches: all, the thinnest (smallest SliceThickness), or the one
     * with most instances.
     */
    public StudyPlan plan(List<SeriesSummary> series, int version) {
        return plan(series, version, java.time.LocalTime.now());
    }

    public StudyPlan plan(List<SeriesSummary> series, int version, java.time.LocalTime now) {
        List<Job> jobs = new ArrayList<>();
        List<SkippedSeries> skipped = new ArrayList<>();
        for (RouteConfig rule : rules.rules()) {
            List<SeriesSummary> usable = new ArrayList<>();
            for (SeriesSummary s : series) {
                if (!RuleMatcher.explain(rule, s, now).matches()) continue;
                SkippedSeries skip = eligibility(rule, s);
                if (skip == null) usable.add(s);
                else skipped.add(skip);
            }
            List<Destination> dests = destinations.named(rule.destinations());
            for (SeriesSummary s : select(rule, usable)) {
                if (rule.models().isEmpty()) jobs.add(Job.forward(rule.name(), s, version, dests));
                for (String model : rule.models()) {
                    List<ChannelRule> wanted = channelRules.apply(model);
                    if (wanted.isEmpty()) {
                        jobs.add(new Job(rule.name(), s, version, model, dests));
                        continue;
                    }
                    List<SeriesSummary> found = new ArrayList<>();
                    SkippedSeries missing = channels(rule, s, model, wanted, series, found);
                    if (missing != null) skipped.add(missing);
                    else jobs.add(new Job(rule.name(), s, version, model, dests, found));
                }
            }
        }
        return new StudyPlan(jobs, skipped);
    }

    /**
     * The series of the study a multi-series model takes beside {@code s} (into {@code found}, in channel order), or
     * why it cannot run: {@code s} is not the first channel's kind, or no usable series of the study is another's. Of
     * several candidates for a channel, the one in {@code s}'s frame of reference with the most instances.
     */
    private SkippedSeries channels(RouteConfig rule, SeriesSummary s, String model, List<ChannelRule> wanted,
                                   List<SeriesSummary> study, List<SeriesSummary> found) {
        ChannelRule first = wanted.get(0);
        if (!describes(first, s)) {
            return new SkippedSeries(rule.name(), s.seriesInstanceUid(), s.attributes().get("SeriesNumber"), s.seriesDescription(), "channel",
                    "model '" + model + "' takes this route's series as its '" + first.name() + "' channel (SeriesDescription"
                            + " matching '" + first.seriesDescription() + "'), and this series' description does not match");
        }
        String frame = s.attributes().get("FrameOfReferenceUID");
        for (ChannelRule c : wanted.subList(1, wanted.size())) {
            SeriesSummary best = null;
            for (SeriesSummary o : study) {
                if (o == s || !describes(c, o) || found.contains(o)) continue;
                if (SeriesEligibility.check(rule, positions.getOrDefault(rule, 0), o, false) != null) continue;
                if (frame != null && !frame.equals(o.attributes().get("FrameOfReferenceUID"))) continue;
                if (best == null || o.instanceCount() > best.instanceCount()) best = o;
            }
            if (best == null) {
                return new SkippedSeries(rule.name(), s.seriesInstanceUid(), s.attributes().get("SeriesNumber"), s.seriesDescription(), "channel",
                        "model '" + model + "' also needs a '" + c.name() + "' series (SeriesDescription matching '"
                                + c.seriesDescription() + "', same frame of reference) and this study has none it can use");
            }
            found.add(best);
        }
        return null;
    }

    private static boolean describes(ChannelRule c, SeriesSummary s) {
        return s.seriesDescription() != null && java.util.regex.Pattern.compile(c.seriesDescription()).matcher(s.seriesDescription()).find();
    }

    /** Why {@code rule} does not take the matched series {@code s}, or null when it does. */
    public SkippedSeries eligibility(RouteConfig rule, SeriesSummary s) {
        boolean singleFrame = !rule.models().isEmpty() && rule.models().stream().allMatch(singleFrameModel);
        return SeriesEligibility.check(rule, positions.getOrDefault(rule, 0), s, singleFrame);
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
