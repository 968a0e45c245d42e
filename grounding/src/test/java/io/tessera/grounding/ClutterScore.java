package io.tessera.grounding;

import io.tessera.core.Assertion;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.clutter.ClutterKind;
import io.tessera.testkit.phantom.clutter.ClutterSentence;
import io.tessera.testkit.phantom.clutter.ClutteredPhantom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Grounding on cluttered phantoms, scored sentence by sentence against their truth: positives grounded to the right
 * lesion (and the IoU of the mask), negated findings without a region, findings in lesion-free sites not grounded,
 * measurements of other things giving no finding, and every grounded region's tissue (a soft-tissue finding put on gas
 * or fat is counted, whatever the lesion truth says). A wrong choice is named by what it landed on.
 */
final class ClutterScore {
    int phantoms, positives, positivesRight, negated, negatedOk, lesionFree, lesionFreeOk, measurements, measurementsOk;
    int gasOrFatChosen;
    final List<Double> iou = new ArrayList<>();
    final Map<String, Integer> wrongOn = new TreeMap<>();
    final Map<String, int[]> byPositiveKind = new TreeMap<>();
    final List<String> failures = new ArrayList<>();

    void add(ClutteredPhantom cp, List<GroundedFinding> grounded, ParsedReport report) {
        phantoms++;
        Phantom p = cp.phantom();
        Map<Integer, GroundedFinding> byIndex = grounded.stream()
                .collect(Collectors.toMap(g -> g.finding().index(), Function.identity()));
        String tag = "seed " + cp.spec().seed() + ": ";
        for (ClutterSentence s : cp.sentences()) {
            List<ParsedFinding> from = report.findings().stream().filter(f -> f.finding().phrase().equals(s.text())).toList();
            switch (s.role()) {
                case DESCRIBES_LESION -> {
                    positives++;
                    int[] k = byPositiveKind.computeIfAbsent(s.kind().label(), x -> new int[2]);
                    k[1]++;
                    GroundedFinding g = from.size() == 1 ? byIndex.get(from.get(0).finding().index()) : null;
                    int hit = g != null && g.grounded() ? GroundingScore.majorityLesion(p.lesionMap(), g.mask()) : 0;
                    if (hit == s.lesionIndex()) {
                        positivesRight++;
                        k[0]++;
                        iou.add(GroundingScore.iou(p.lesionMap(), hit, g.mask()));
                    } else {
                        String on = g == null ? "no finding parsed" : !g.grounded() ? "not grounded" : landedOn(cp, g.mask(), hit);
                        wrongOn.merge(on, 1, Integer::sum);
                        failures.add(tag + "'" + s.text() + "' -> " + on + (g != null && !g.grounded() ? ": " + g.reason() : ""));
                    }
                }
                case NEGATED -> {
                    negated++;
                    boolean ok = !from.isEmpty() && from.stream().allMatch(f -> f.finding().assertion() == Assertion.ABSENT
                            && (byIndex.get(f.finding().index()) == null || !byIndex.get(f.finding().index()).grounded()));
                    if (ok) negatedOk++;
                    else failures.add(tag + "negated '" + s.text() + "' -> " + from.size() + " finding(s), not all absent/ungrounded");
                }
                case NO_LESION -> {
                    lesionFree++;
                    if (from.stream().noneMatch(f -> byIndex.containsKey(f.finding().index()) && byIndex.get(f.finding().index()).grounded())) {
                        lesionFreeOk++;
                    } else {
                        GroundedFinding g = byIndex.get(from.get(0).finding().index());
                        failures.add(tag + "lesion-free '" + s.text() + "' grounded on " + landedOn(cp, g.mask(), 0));
                    }
                }
                case DISTRACTOR -> {
                    if (s.kind() != ClutterSentence.Kind.OTHER_MEASUREMENT) continue;
                    measurements++;
                    if (from.stream().noneMatch(f -> f.finding().assertion() != Assertion.ABSENT)) measurementsOk++;
                    else failures.add(tag + "measurement '" + s.text() + "' gave a finding");
                }
            }
        }
        for (GroundedFinding g : grounded) {
            if (!g.grounded() || g.finding().findingType().meaning().toLowerCase(Locale.ROOT).contains("fat")) continue;
            double median = medianHu(p, g.mask());
            if (median < -40) {
                gasOrFatChosen++;
                failures.add(String.format(Locale.ROOT, "%s'%s' placed on %s (median %.0f HU)", tag, g.finding().phrase(),
                        median < -200 ? "gas" : "fat", median));
            }
        }
    }

    /** What a wrong region lies on: another target, the majority distractor kind, or plain organ tissue. */
    static String landedOn(ClutteredPhantom cp, LabelMap mask, int lesion) {
        if (lesion > 0) return "another target lesion";
        int[] h = new int[ClutterKind.values().length + 1];
        byte[] m = mask.labels();
        for (int x = 0; x < m.length; x++) if (m[x] != 0) h[cp.distractorMap().labels()[x] & 0xff]++;
        int best = 0;
        for (int v = 1; v < h.length; v++) if (h[v] > h[best]) best = v;
        return best == 0 ? "organ tissue (no object)" : ClutterKind.ofMapValue(best).label();
    }

    static double medianHu(Phantom p, LabelMap mask) {
        byte[] m = mask.labels();
        float[] v = p.ct().voxels();
        int n = 0;
        float[] sample = new float[m.length];
        for (int x = 0; x < m.length; x++) if (m[x] != 0) sample[n++] = v[x];
        float[] s = Arrays.copyOf(sample, n);
        Arrays.sort(s);
        return n == 0 ? Double.NaN : s[n / 2];
    }

    double positiveShare() {
        return positives == 0 ? 1 : (double) positivesRight / positives;
    }

    double meanIou() {
        return iou.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    void addAll(ClutterScore o) {
        phantoms += o.phantoms;
        positives += o.positives;
        positivesRight += o.positivesRight;
        negated += o.negated;
        negatedOk += o.negatedOk;
        lesionFree += o.lesionFree;
        lesionFreeOk += o.lesionFreeOk;
        measurements += o.measurements;
        measurementsOk += o.measurementsOk;
        gasOrFatChosen += o.gasOrFatChosen;
        iou.addAll(o.iou);
        o.wrongOn.forEach((k, v) -> wrongOn.merge(k, v, Integer::sum));
        o.byPositiveKind.forEach((k, v) -> {
            int[] t = byPositiveKind.computeIfAbsent(k, x -> new int[2]);
            t[0] += v[0];
            t[1] += v[1];
        });
        failures.addAll(o.failures);
    }

    static String header() {
        return """
                | clutter | phantoms | positives -> right lesion | negated -> no region | lesion-free site not grounded | other measurements -> no finding | gas/fat chosen | mean IoU |
                |---|---|---|---|---|---|---|---|
                """;
    }

    String row(String name) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f (%d/%d) | %.3f (%d/%d) | %.3f (%d/%d) | %.3f (%d/%d) | %d | %.3f |%n", name,
                phantoms, positiveShare(), positivesRight, positives, share(negatedOk, negated), negatedOk, negated,
                share(lesionFreeOk, lesionFree), lesionFreeOk, lesionFree, share(measurementsOk, measurements), measurementsOk,
                measurements, gasOrFatChosen, meanIou());
    }

    static double share(int a, int b) {
        return b == 0 ? 1 : (double) a / b;
    }
}
