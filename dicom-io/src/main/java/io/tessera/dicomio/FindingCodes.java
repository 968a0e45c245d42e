package io.tessera.dicomio;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.Laterality;
import io.tessera.core.ReportFinding;
import java.util.ArrayList;
import java.util.List;

/** Codes and wording shared by the grounding SEG and the measurement SR, so both describe a finding the same way. */
final class FindingCodes {
    private FindingCodes() {}

    /** CID 7150: grounded report findings are abnormal structures (a nodule, a lesion, a mass). */
    static final Code ABNORMAL_STRUCTURE = Code.sct("49755003", "Morphologically Abnormal Structure");
    static final Code LATERALITY = Code.sct("272741003", "Laterality");

    /** CID 244 laterality, or {@code null} for {@link Laterality#UNSPECIFIED}. */
    static Code laterality(Laterality l) {
        return switch (l) {
            case LEFT -> Code.sct("7771000", "Left");
            case RIGHT -> Code.sct("24028007", "Right");
            case BILATERAL -> Code.sct("51440002", "Right and left");
            case UNSPECIFIED -> null;
        };
    }

    /**
     * The findings that get a region: grounded and not negated, in list order. Segment n of the grounding SEG and the
     * n-th finding measurement group of the SR are element n-1 of this list.
     */
    static List<GroundedFinding> located(List<GroundedFinding> findings) {
        List<GroundedFinding> out = new ArrayList<>();
        for (GroundedFinding f : findings) if (f.grounded() && f.finding().assertion() != Assertion.ABSENT) out.add(f);
        return out;
    }

    /** Positive or uncertain findings the report states that could not be located. */
    static List<GroundedFinding> notLocated(List<GroundedFinding> findings) {
        List<GroundedFinding> out = new ArrayList<>();
        for (GroundedFinding f : findings) if (!f.grounded() && f.finding().assertion() != Assertion.ABSENT) out.add(f);
        return out;
    }

    /**
     * Readable name, e.g. {@code Nodule in lower lobe of right lung} or {@code Cyst in left kidney}: the side is only
     * added when the site's own name does not already say it.
     */
    static String label(ReportFinding f) {
        StringBuilder b = new StringBuilder(capitalise(f.findingType().meaning()));
        Code site = f.site();
        if (site != null) {
            String s = site.meaning();
            String lower = s.toLowerCase();
            b.append(" in ");
            if (f.laterality() != Laterality.UNSPECIFIED && !lower.contains("left") && !lower.contains("right")) {
                b.append(f.laterality() == Laterality.BILATERAL ? "both" : f.laterality().name().toLowerCase()).append(' ');
            }
            b.append(s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1));
        } else if (f.laterality() != Laterality.UNSPECIFIED) {
            b.append(", ").append(f.laterality().name().toLowerCase());
        }
        return b.toString();
    }

    /** A string safe for LO/LT-like text: no backslash (the DICOM value separator), no control characters, at most {@code max}. */
    static String text(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\') b.append('/');
            else if (Character.isISOControl(c)) b.append(' ');
            else b.append(c);
        }
        String t = b.toString().trim();
        return t.length() > max ? t.substring(0, max) : t;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
