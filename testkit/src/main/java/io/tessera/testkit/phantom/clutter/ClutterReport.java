package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.ReportSentence.Role;
import io.tessera.testkit.phantom.clutter.ClutterSentence.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The cluttered phantom's report: one sentence per target lesion in varied wording (appearance words, sizes in mm, cm
 * or two dimensions, lobe, Couinaud segment, or the organ's own size in the same sentence), mixed in random order with
 * negated findings, a finding stated where there is no lesion, measurements of things that are not findings, and
 * history. Its own random stream: wording never changes the image.
 */
final class ClutterReport {
    private static final String[] ROMAN = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"};
    private final SplittableRandom r;
    private final List<ClutterSentence> findings = new ArrayList<>();
    private final List<ClutterSentence> all = new ArrayList<>();

    private ClutterReport(long seed) {
        r = new SplittableRandom(seed ^ 0x2E9027L);
    }

    record Report(String text, List<ClutterSentence> sentences) {
    }

    static Report write(long seed, Abdomen body, List<Target> targets, List<Distractor> distractors) {
        return new ClutterReport(seed).compose(body, targets, distractors);
    }

    private Report compose(Abdomen body, List<Target> targets, List<Distractor> distractors) {
        for (Target t : targets) findings.add(positive(t));
        boolean liver = targets.stream().anyMatch(t -> t.lesion().organ().equals("liver"));
        boolean spleen = targets.stream().anyMatch(t -> t.lesion().organ().equals("spleen"));
        boolean kidney = targets.stream().anyMatch(t -> t.lesion().organ().startsWith("kidney"));
        findings.add(s(liver ? "No other focal liver lesion" : "No focal liver lesion", Role.NEGATED, Kind.NEGATED));
        if (!spleen) findings.add(s("No focal splenic lesion", Role.NEGATED, Kind.NEGATED));
        if (!kidney) findings.add(s(r.nextBoolean() ? "No renal mass" : "There is no renal cyst", Role.NEGATED, Kind.NEGATED));
        findings.add(s("No free fluid", Role.NEGATED, Kind.NEGATED));
        findings.add(lesionFree(targets, distractors));
        findings.add(s(String.format(Locale.ROOT, "The aorta measures %d mm in diameter", Math.round(2 * body.aortaR)),
                Role.DISTRACTOR, Kind.OTHER_MEASUREMENT));
        findings.add(s(String.format(Locale.ROOT, "The spleen measures %.1f cm in length", 2 * body.spleenA[2] / 10),
                Role.DISTRACTOR, Kind.OTHER_MEASUREMENT));
        findings.add(s("The common bile duct measures " + (4 + r.nextInt(4)) + " mm", Role.DISTRACTOR, Kind.OTHER_MEASUREMENT));
        findings.add(s(r.nextBoolean() ? "History of cholecystectomy" : "Status post right hemicolectomy", Role.DISTRACTOR,
                Kind.HISTORY));
        Collections.shuffle(findings, new java.util.Random(r.nextLong()));

        StringBuilder text = new StringBuilder("EXAMINATION: CT abdomen with intravenous contrast (synthetic phantom).\n");
        text.append("CLINICAL HISTORY: ");
        sentence(text, s("Evaluate for liver metastases, history of colon cancer", Role.DISTRACTOR, Kind.HISTORY));
        text.append("\nFINDINGS:\n");
        for (ClutterSentence c : findings) sentence(text, c).append('\n');
        return new Report(text.toString(), List.copyOf(all));
    }

    private ClutterSentence positive(Target t) {
        Lesion l = t.lesion();
        String noun = noun(t);
        String size = size(l.diameterMm());
        int form = r.nextInt(5);
        if (t.segment() > 0 && form == 3) {
            String seg = r.nextBoolean() ? "hepatic segment " + t.segment() : "segment " + ROMAN[t.segment()] + " of the liver";
            return new ClutterSentence(cap(size + " " + noun + " in " + seg), Role.DESCRIBES_LESION, l.index(), Kind.POSITIVE_SEGMENT);
        }
        if (l.organ().equals("liver") && form == 4) {
            String text = String.format(Locale.ROOT, "The liver measures %d cm, with a %s %s in the %s", 15 + r.nextInt(5),
                    size, noun, l.location());
            return new ClutterSentence(text, Role.DESCRIBES_LESION, l.index(), Kind.POSITIVE_WITH_OTHER_SIZE);
        }
        String text = switch (form % 3) {
            case 0 -> cap(noun) + " in the " + l.location() + " measuring " + size;
            case 1 -> "There is a " + size + " " + noun + " in the " + l.location();
            default -> cap(noun) + " in the " + l.location() + ", " + size;
        };
        return new ClutterSentence(text, Role.DESCRIBES_LESION, l.index(), Kind.POSITIVE);
    }

    private String noun(Target t) {
        boolean kidney = t.lesion().organ().startsWith("kidney");
        String[] words = switch (t.appearance()) {
            case HYPODENSE -> kidney ? new String[] {"hypoenhancing lesion", "hypodense lesion", "low attenuation mass"}
                    : new String[] {"hypodense lesion", "hypoattenuating lesion", "low attenuation lesion", "hypodense mass"};
            case CYST -> new String[] {"cyst", "simple cyst", "hypodense cyst"};
            case ENHANCING -> new String[] {"enhancing lesion", "hyperdense lesion", "hyperenhancing mass"};
            case CALCIFIED -> new String[] {"calcified nodule", "calcification", "calcified focus"};
        };
        return words[r.nextInt(words.length)];
    }

    /**
     * A finding where the image has none: an organ without a target (when no cyst or calcification was drawn anywhere:
     * one there would be a fair answer), else the unsegmented pancreas.
     */
    private ClutterSentence lesionFree(List<Target> targets, List<Distractor> distractors) {
        boolean smallObjects = distractors.stream().anyMatch(d -> d.kind() == ClutterKind.CYSTS || d.kind() == ClutterKind.CALCIFICATIONS);
        String[][] organs = {{"spleen", "spleen"}, {"left kidney", "kidney_left"}, {"right kidney", "kidney_right"}};
        for (String[] o : organs) {
            if (smallObjects || targets.stream().anyMatch(t -> t.lesion().organ().equals(o[1]))) continue;
            return s("Possible " + (8 + r.nextInt(8)) + " mm lesion in the " + o[0], Role.NO_LESION, Kind.LESION_FREE_SITE);
        }
        return s("A " + (10 + r.nextInt(10)) + " mm nodule in the pancreas", Role.NO_LESION, Kind.LESION_FREE_SITE);
    }

    /** "24 mm", "2.4 cm" or "2.4 x 2.0 cm": the largest dimension is the diameter. */
    private String size(double mm) {
        return switch (r.nextInt(3)) {
            case 0 -> Math.round(mm) + " mm";
            case 1 -> String.format(Locale.ROOT, "%.1f cm", mm / 10);
            default -> String.format(Locale.ROOT, "%.1f x %.1f cm", mm / 10, Math.floor(mm * 0.85) / 10);
        };
    }

    private static ClutterSentence s(String text, Role role, Kind kind) {
        return new ClutterSentence(text, role, 0, kind);
    }

    private StringBuilder sentence(StringBuilder text, ClutterSentence c) {
        all.add(c);
        return text.append(c.text()).append('.');
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
