package io.tessera.grounding;

import io.tessera.core.Assertion;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.ReportFinding;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Grounds parsed report findings in the image with the organ segmentation: each PRESENT or UNCERTAIN focal finding is
 * looked for in its organ (or both organs of a pair when the text names no side), among the lesion candidates the
 * {@link CandidateFinder} sees there, and given the candidate that can be what the sentence says — tissue, size and
 * shape judged by {@link CandidateJudge} — preferring one in the named lobe, zone or segment. ABSENT findings get no
 * region and no result. A finding with no plausible candidate, or whose site is not segmented, is returned not
 * grounded with the reason and what was rejected ("no hypodense soft-tissue or fluid candidate of about 24 mm in the
 * right lobe of liver; rejected: 3 gas, 1 too small") — never placed on the best of bad candidates.
 *
 * <p>Matching is one global greedy assignment over (finding, candidate) pairs by the judge's score, so two findings
 * never take the same lesion; the confidence is the score × 0.8 for an UNCERTAIN finding.
 *
 * <p>Contract: inputs on one grid (checked); output in finding order, one result per PRESENT/UNCERTAIN finding, with
 * tracking UIDs derived from (study UID, study version, finding index). Failures: mismatched grids →
 * IllegalArgumentException (TSR-0460).
 */
public final class Grounder {
    public static final String METHOD = "segmentation+lesion";
    /** The one label that is not an organ: a lesion the segmentation calls body is still inside its organ. */
    static final String BODY = "body";

    public List<GroundedFinding> ground(Volume ct, LabelMap organs, List<SegmentLabel> labels, ParsedReport report,
                                        String studyUid, int studyVersion) {
        return ground(ct, organs, labels, report.findings(), studyUid, studyVersion);
    }

    public List<GroundedFinding> ground(Volume ct, LabelMap organs, List<SegmentLabel> labels, List<ParsedFinding> findings,
                                        String studyUid, int studyVersion) {
        if (!ct.grid().sameGeometry(organs.grid())) {
            throw new IllegalArgumentException("TSR-0460: segmentation grid " + organs.grid() + " differs from the image " + ct.grid());
        }
        Map<String, Integer> valueOf = labels.stream().collect(Collectors.toMap(SegmentLabel::name, SegmentLabel::value, (a, b) -> a));
        Map<String, Search> searches = new HashMap<>();
        Map<Integer, String> reasons = new HashMap<>();
        List<Option> options = new ArrayList<>();
        List<ParsedFinding> wanted = findings.stream().filter(f -> f.finding().assertion() != Assertion.ABSENT).toList();
        for (ParsedFinding parsed : wanted) {
            ParsedFinding f = withLobeLabels(parsed, valueOf);
            int index = f.finding().index();
            String problem = unsearchable(f, valueOf);
            if (problem != null) {
                reasons.put(index, problem);
                continue;
            }
            String key = String.join("+", f.organs());
            Search s = searches.computeIfAbsent(key, k -> Search.of(ct, organs, f.organs(), valueOf));
            if (s.region == null) {
                reasons.put(index, "no voxel of " + key + " in the segmentation");
                continue;
            }
            Map<CandidateJudge.Rejection, Integer> rejected = new java.util.EnumMap<>(CandidateJudge.Rejection.class);
            List<Option> mine = options(f, s, rejected);
            if (mine.isEmpty()) reasons.put(index, noCandidateReason(f, s, rejected));
            options.addAll(mine);
        }
        Map<Integer, Option> chosen = assign(options);
        List<GroundedFinding> out = new ArrayList<>();
        for (ParsedFinding f : wanted) {
            ReportFinding rf = f.finding();
            String uid = trackingUid(studyUid, studyVersion, rf.index());
            String id = trackingId(rf);
            Option o = chosen.get(rf.index());
            if (o == null) {
                String why = reasons.getOrDefault(rf.index(), "every consistent candidate was a better match for another finding");
                out.add(GroundedFinding.notGrounded(rf, id, uid, why));
                continue;
            }
            Candidate c = o.candidate;
            byte[] mask = new byte[ct.grid().voxelCount()];
            for (int x : c.voxels()) mask[x] = 1;
            double confidence = o.score * (rf.assertion() == Assertion.UNCERTAIN ? 0.8 : 1.0);
            out.add(new GroundedFinding(rf, id, uid, true, null, new LabelMap(ct.grid(), mask), c.bboxMinLps(),
                    c.bboxMaxLps(), confidence, c.volumeMl(), c.maxDiameterMm(), METHOD));
        }
        return out;
    }

    /** Tracking UID of finding {@code index} (1-based, report order) of a study version: the same on every re-run. */
    public static String trackingUid(String studyUid, int studyVersion, int index) {
        return Uids.derive(Objects.requireNonNull(studyUid, "studyUid"), Integer.toString(studyVersion), "grounded-finding",
                Integer.toString(index));
    }

    static String trackingId(ReportFinding f) {
        String s = "Finding " + f.index() + ": " + f.findingType().meaning()
                + (f.site() == null ? "" : ", " + f.site().meaning().toLowerCase(Locale.ROOT));
        return s.length() <= 64 ? s : s.substring(0, 64);
    }

    /**
     * When the segmentation has real lobe labels (TotalSegmentator names them {@code lung_lower_lobe_right}), a lobe
     * finding searches that label instead of the approximate zone of the whole lung.
     */
    static ParsedFinding withLobeLabels(ParsedFinding f, Map<String, Integer> valueOf) {
        String zone = f.zone();
        if (zone == null || f.organs().size() != 1 || !f.organs().get(0).startsWith("lung_")) return f;
        String side = f.organs().get(0).substring("lung_".length());
        String lobe = "lung_" + zone + "_lobe_" + side;
        if (!valueOf.containsKey(lobe)) return f;
        List<String> evidence = new ArrayList<>(f.evidence());
        evidence.add("lobe label '" + lobe + "' in the segmentation replaces the approximate " + zone + " zone");
        return new ParsedFinding(f.finding(), List.of(lobe), null, f.focal(), evidence, f.appearance());
    }

    private static String unsearchable(ParsedFinding f, Map<String, Integer> valueOf) {
        if (!f.focal()) {
            return "'" + f.finding().findingType().meaning() + "' is not a focal lesion and has no segmented region";
        }
        if (f.finding().site() == null) return "the report names no site for this finding";
        if (f.organs().isEmpty()) return "site '" + f.finding().site().meaning() + "' is not segmented";
        for (String o : f.organs()) if (!valueOf.containsKey(o)) return "the segmentation has no label '" + o + "'";
        return null;
    }

    /** Every candidate the judge accepts, with its score; the rejected ones are counted for the reason. */
    private static List<Option> options(ParsedFinding f, Search s, Map<CandidateJudge.Rejection, Integer> rejected) {
        List<Option> out = new ArrayList<>();
        for (int n = 0; n < s.candidates.size(); n++) {
            Candidate c = s.candidates.get(n);
            CandidateJudge.Verdict v = CandidateJudge.judge(f, c, s.region);
            if (v.accepted()) out.add(new Option(f.finding().index(), c, n, v.score()));
            else rejected.merge(v.rejection(), 1, Integer::sum);
        }
        return out;
    }

    /**
     * Why no candidate was taken, in words a reader can check: "no hypodense soft-tissue or fluid candidate of about
     * 24 mm in the right part of liver; rejected: 3 gas, 1 too small".
     */
    private static String noCandidateReason(ParsedFinding f, Search s, Map<CandidateJudge.Rejection, Integer> rejected) {
        String where = String.join("+", f.organs());
        if (s.candidates.isEmpty()) {
            return String.format(Locale.ROOT, "no lesion candidate in %s (no voxels deviating > %.0f HU from its median %.0f HU)",
                    where, CandidateFinder.seedThreshold(s.region), s.region.medianHu);
        }
        String why = rejected.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().words).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "no %s candidate of %s in %s%s; rejected: %s", f.appearance().words(),
                CandidateJudge.size(f), zoneWords(f.zone()), where, why);
    }

    private static String zoneWords(String zone) {
        if (zone == null) return "";
        return switch (zone) {
            case "rightpart" -> "the right lobe of ";
            case "leftpart" -> "the left lobe of ";
            case "upper", "middle", "lower" -> "the " + zone + " zone of ";
            default -> zone.matches("s[1-8]") ? "segment " + zone.substring(1) + " of " : zone + " of ";
        };
    }

    private static Map<Integer, Option> assign(List<Option> options) {
        List<Option> sorted = new ArrayList<>(options);
        sorted.sort(Comparator.comparingDouble((Option o) -> -o.score).thenComparingInt(o -> o.finding)
                .thenComparingInt(o -> o.candidateIndex));
        Map<Integer, Option> byFinding = new HashMap<>();
        java.util.Set<Candidate> taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Option o : sorted) {
            if (byFinding.containsKey(o.finding) || taken.contains(o.candidate)) continue;
            byFinding.put(o.finding, o);
            taken.add(o.candidate);
        }
        return byFinding;
    }

    private record Option(int finding, Candidate candidate, int candidateIndex, double score) {
    }

    /** One organ region and its candidates, shared by every finding in that organ. */
    private record Search(OrganRegion region, List<Candidate> candidates) {
        static Search of(Volume ct, LabelMap organs, List<String> names, Map<String, Integer> valueOf) {
            int[] values = names.stream().mapToInt(valueOf::get).toArray();
            boolean[] foreign = new boolean[256];
            valueOf.forEach((name, v) -> foreign[v] = !BODY.equals(name));
            OrganRegion r = OrganRegion.of(ct, organs, values, foreign, names.equals(List.of("lung_left")));
            return new Search(r, r == null ? List.of() : CandidateFinder.find(ct, r));
        }
    }
}
