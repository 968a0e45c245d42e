package io.tessera.testkit.phantom;

import java.util.List;
import java.util.Locale;

/** Writes the short radiology report that describes a phantom's lesions, in the words a radiologist would use. */
final class ReportWriter {
    private ReportWriter() {
    }

    static String write(List<Lesion> lesions) {
        StringBuilder sb = new StringBuilder();
        sb.append("EXAMINATION: CT chest and abdomen with intravenous contrast (synthetic phantom).\n");
        sb.append("FINDINGS:\n");
        if (lesions.isEmpty()) sb.append("No focal lesion in the lungs, liver, spleen or kidneys.\n");
        for (Lesion l : lesions) {
            sb.append(capitalise(size(l.diameterMm()) + " " + l.kind() + " in the " + l.location())).append(".\n");
        }
        sb.append("No pleural effusion. No free fluid. No lymphadenopathy.\n");
        sb.append("IMPRESSION:\n");
        if (lesions.isEmpty()) {
            sb.append("No acute abnormality.\n");
        } else {
            for (Lesion l : lesions) {
                sb.append(l.index()).append(". ").append(capitalise(l.kind())).append(" in the ").append(l.location())
                        .append(", ").append(size(l.diameterMm())).append(".\n");
            }
        }
        return sb.toString();
    }

    /** Millimetres below 1 cm ("8 mm"), centimetres with one decimal from 1 cm ("2.1 cm"), as reports do. */
    static String size(double mm) {
        if (mm < 10) return Math.round(mm) + " mm";
        return String.format(Locale.ROOT, "%.1f cm", mm / 10.0);
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
