package io.tessera.grounding;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.SegmentLabel;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.ReportSentence;
import io.tessera.testkit.phantom.ReportSentence.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Grounding accuracy over phantoms, against their sentence-level report truth and lesion label maps. */
final class GroundingScore {
    int positives, positivesRight;
    int negated, negatedNoRegion;
    int noLesion, noLesionNotGrounded;
    int distractors, distractorsClean;
    final List<Double> iou = new ArrayList<>();
    final List<String> failures = new ArrayList<>();

    /** Labels of the phantom truth, as the ct-phantom-organs model names them. */
    static List<SegmentLabel> phantomLabels() {
        List<SegmentLabel> out = new ArrayList<>();
        for (int v = 1; v < PhantomLabels.NAMES.size(); v++) {
            out.add(new SegmentLabel(v, PhantomLabels.name(v), Code.sct("123037004", "Anatomical Structure"),
                    Code.sct("0", PhantomLabels.name(v)), new int[] {255, 0, 0}));
        }
        return out;
    }

    void add(Phantom p, LabelMap organs, List<SegmentLabel> labels) {
        ParsedReport report = new ReportParser().parse(p.reportText());
        add(p, report, new Grounder().ground(p.ct(), organs, labels, report, "2.25.1", 1));
    }

    /** Scores findings grounded by any method (the rule Grounder or ModelGrounder) against the phantom's truth. */
    void add(Phantom p, ParsedReport report, List<GroundedFinding> grounded) {
        Map<Integer, GroundedFinding> byIndex = grounded.stream()
                .collect(Collectors.toMap(g -> g.finding().index(), Function.identity()));
        String tag = "seed " + p.spec().seed() + ": ";
        java.util.Set<Integer> counted = new java.util.HashSet<>();
        for (ReportSentence s : p.reportTruth()) {
            List<ParsedFinding> from = report.findings().stream()
                    .filter(f -> f.finding().phrase().equals(s.text())
                            || f.evidence().contains("restated: \"" + s.text() + "\"")).toList();
            switch (s.role()) {
                case DESCRIBES_LESION -> {
                    // The impression restates the findings: one parsed finding per lesion counts once.
                    if (from.size() == 1 && !counted.add(from.get(0).finding().index())) continue;
                    positives++;
                    GroundedFinding g = from.size() == 1 ? byIndex.get(from.get(0).finding().index()) : null;
                    int hit = g != null && g.grounded() ? majorityLesion(p.lesionMap(), g.mask()) : 0;
                    if (hit == s.lesionIndex()) {
                        positivesRight++;
                        iou.add(iou(p.lesionMap(), s.lesionIndex(), g.mask()));
                    } else {
                        failures.add(tag + "'" + s.text() + "' -> " + (g == null ? "no finding " + from
                                : g.grounded() ? "lesion " + hit : g.reason()));
                    }
                }
                case NEGATED -> {
                    negated++;
                    boolean ok = !from.isEmpty() && from.stream().allMatch(f -> f.finding().assertion() == Assertion.ABSENT
                            && (byIndex.get(f.finding().index()) == null || !byIndex.get(f.finding().index()).grounded()));
                    if (ok) negatedNoRegion++;
                    else failures.add(tag + "negated '" + s.text() + "' -> " + from);
                }
                case NO_LESION -> {
                    noLesion++;
                    boolean ok = from.stream().noneMatch(f -> byIndex.containsKey(f.finding().index())
                            && byIndex.get(f.finding().index()).grounded());
                    if (ok) noLesionNotGrounded++;
                    else failures.add(tag + "no-lesion '" + s.text() + "' was grounded");
                }
                case DISTRACTOR -> {
                    distractors++;
                    if (from.stream().noneMatch(f -> f.finding().assertion() != Assertion.ABSENT)) distractorsClean++;
                    else failures.add(tag + "distractor '" + s.text() + "' -> " + from);
                }
            }
        }
    }

    static int majorityLesion(LabelMap lesions, LabelMap mask) {
        long[] h = new long[256];
        byte[] m = mask.labels(), l = lesions.labels();
        for (int x = 0; x < m.length; x++) if (m[x] != 0) h[l[x] & 0xff]++;
        int best = 0;   // the lesion overlapped most; 0 when the mask touches none
        for (int v = 1; v < 256; v++) if (h[v] > 0 && (best == 0 || h[v] > h[best])) best = v;
        return best;
    }

    static double iou(LabelMap lesions, int index, LabelMap mask) {
        long both = 0, either = 0;
        byte[] m = mask.labels(), l = lesions.labels();
        for (int x = 0; x < m.length; x++) {
            boolean a = m[x] != 0, b = (l[x] & 0xff) == index;
            if (a && b) both++;
            if (a || b) either++;
        }
        return either == 0 ? 0 : (double) both / either;
    }

    double positiveShare() {
        return positives == 0 ? 1 : (double) positivesRight / positives;
    }

    double negatedShare() {
        return negated == 0 ? 1 : (double) negatedNoRegion / negated;
    }

    double noLesionShare() {
        return noLesion == 0 ? 1 : (double) noLesionNotGrounded / noLesion;
    }

    double meanIou() {
        return iou.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    String table(String title, int phantoms) {
        return String.format(Locale.ROOT, """
                %s (%d phantoms)
                | measure                                         | value | count   |
                |-------------------------------------------------|-------|---------|
                | positive findings grounded to the right lesion  | %.3f | %d/%d |
                | negated findings producing no region            | %.3f | %d/%d |
                | findings where there is no lesion, not grounded | %.3f | %d/%d |
                | distractors giving no present finding           | %.3f | %d/%d |
                | mean IoU of grounded lesion masks vs truth      | %.3f | n=%d |
                """, title, phantoms, positiveShare(), positivesRight, positives, negatedShare(), negatedNoRegion, negated,
                noLesionShare(), noLesionNotGrounded, noLesion, distractors == 0 ? 1.0 : (double) distractorsClean / distractors,
                distractorsClean, distractors, meanIou(), iou.size());
    }
}
