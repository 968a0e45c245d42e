package io.tessera.testkit.phantom;

import io.tessera.testkit.phantom.ReportSentence.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the radiology report of a phantom, in the words a radiologist would use, together with its ground truth
 * (which sentence describes which lesion). Besides one sentence per lesion (findings) and its restatement (impression,
 * in another size format: "8 mm", "0.8 x 0.6 cm", "8mm"), it holds negated findings in organs without lesion, a
 * finding stated where there is no lesion (a lesion-free lung lobe, or the unsegmented pancreas), and distractors
 * (indication, history, normal organs). Phrasing varies by seed from its own random stream, so lesions, anatomy and
 * noise are unchanged.
 */
final class ReportWriter {
    private static final long REPORT_STREAM = 0x2545F4914F6CDD1DL;
    private static final String[] FINDING_TEMPLATES = {"%s.", "There is a %s.", "A %s is noted.", "%s, unchanged."};

    private final List<ReportSentence> truth = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    private ReportWriter() {
    }

    /** Report text only (as before the ground truth was added). */
    static String write(List<Lesion> lesions) {
        return write(lesions, 0).text();
    }

    static Report write(List<Lesion> lesions, long seed) {
        return new ReportWriter().compose(lesions, new SplittableRandom(seed ^ REPORT_STREAM));
    }

    /** The text and its sentence-level truth. */
    record Report(String text, List<ReportSentence> sentences) {
    }

    private Report compose(List<Lesion> lesions, SplittableRandom r) {
        text.append("EXAMINATION: CT chest and abdomen with intravenous contrast (synthetic phantom).\n");
        text.append("CLINICAL HISTORY: ");
        sentence(r.nextBoolean() ? "Follow-up of pulmonary nodule" : "Evaluate for metastatic disease", Role.DISTRACTOR, 0);
        text.append("\nFINDINGS:\n");
        if (lesions.isEmpty()) line("No focal lesion in the lungs, liver, spleen or kidneys", Role.NEGATED, 0);
        for (Lesion l : lesions) {
            String core = size(l.diameterMm()) + " " + l.kind() + " in the " + l.location();
            String t = String.format(Locale.ROOT, FINDING_TEMPLATES[r.nextInt(FINDING_TEMPLATES.length)], core);
            line(capitalise(t.substring(0, t.length() - 1)), Role.DESCRIBES_LESION, l.index());
        }
        line(r.nextBoolean() ? "History of cholecystectomy" : "Status post resection of a left renal cyst", Role.DISTRACTOR, 0);
        line("The pancreas and adrenal glands are unremarkable", Role.DISTRACTOR, 0);
        noLesionFinding(lesions, r);
        negated(lesions);
        text.append("IMPRESSION:\n");
        if (lesions.isEmpty()) {
            line("No acute abnormality", Role.DISTRACTOR, 0);
        } else {
            for (Lesion l : lesions) {
                text.append(l.index()).append(". ");
                line(capitalise(l.kind()) + " in the " + l.location() + ", " + sizeVariant(l.diameterMm(), l.index()),
                        Role.DESCRIBES_LESION, l.index());
            }
        }
        return new Report(text.toString(), List.copyOf(truth));
    }

    /** A finding where the image holds none: a lesion-free lung lobe when there is one, else the pancreas. */
    private void noLesionFinding(List<Lesion> lesions, SplittableRandom r) {
        boolean left = lesions.stream().anyMatch(l -> l.organ().equals("lung_left"));
        boolean right = lesions.stream().anyMatch(l -> l.organ().equals("lung_right"));
        String lobe = !left ? (r.nextBoolean() ? "left lower lobe" : "left upper lobe")
                : !right ? (r.nextBoolean() ? "right upper lobe" : "right lower lobe") : null;
        if (lobe != null) line("Possible 5 mm nodule in the " + lobe, Role.NO_LESION, 0);
        else line("A 7 mm cyst in the pancreas", Role.NO_LESION, 0);
    }

    private void negated(List<Lesion> lesions) {
        line("No pleural effusion", Role.NEGATED, 0);
        if (lesions.stream().noneMatch(l -> l.organ().equals("spleen"))) line("No focal splenic lesion", Role.NEGATED, 0);
        if (lesions.stream().noneMatch(l -> l.organ().startsWith("kidney"))) line("No renal mass", Role.NEGATED, 0);
        if (lesions.stream().noneMatch(l -> l.organ().equals("liver"))) line("The liver is free of focal lesions", Role.NEGATED, 0);
        text.append("No free fluid. No lymphadenopathy.\n");
        truth.add(new ReportSentence("No free fluid", Role.NEGATED, 0));
        truth.add(new ReportSentence("No lymphadenopathy", Role.NEGATED, 0));
    }

    private void line(String s, Role role, int lesion) {
        sentence(s, role, lesion);
        text.append('\n');
    }

    private void sentence(String s, Role role, int lesion) {
        text.append(s).append('.');
        truth.add(new ReportSentence(s, role, lesion));
    }

    /** Millimetres below 1 cm ("8 mm"), centimetres with one decimal from 1 cm ("2.1 cm"), as reports do. */
    static String size(double mm) {
        if (mm < 10) return Math.round(mm) + " mm";
        return String.format(Locale.ROOT, "%.1f cm", mm / 10.0);
    }

    /** The size as {@link #size} states it, in another format: as is, two dimensions, or compact ("12mm"). */
    static String sizeVariant(double mm, int variant) {
        double shown = mm < 10 ? Math.round(mm) : Double.parseDouble(String.format(Locale.ROOT, "%.1f", mm / 10.0)) * 10;
        return switch (variant % 3) {
            case 1 -> shown < 10 ? Math.round(shown) + " x " + Math.round(shown * 0.8) + " mm"
                    : String.format(Locale.ROOT, "%.1f x %.1f cm", shown / 10, Math.floor(shown * 0.8) / 10);
            case 2 -> Math.round(shown) + "mm";
            default -> size(mm);
        };
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
