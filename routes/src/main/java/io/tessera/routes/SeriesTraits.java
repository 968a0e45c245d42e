package io.tessera.routes;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the first instance's headers say about a series that decides whether a model can use it: is it an image at
 * all, a Secondary Capture or dose screen, a localizer, which plane its slices lie in, how many slices it has.
 * Only what the headers show is judged: a summary without a SOP Class UID (not read from a file) is taken as an
 * ordinary image series.
 */
record SeriesTraits(String nonImage, String screen, boolean localizer, String plane, int slices) {
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";
    /** Vendors' names for a scout: Siemens Topogram, Philips Surview, Canon Scanogram, GE Scout, MR 3-plane loc / survey. */
    private static final Pattern LOCALIZER_DESCRIPTION = Pattern.compile(
            "\\b(scout|topogram|surview|scanogram|locali[sz]er|locator|survey|3[- ]?plane)", Pattern.CASE_INSENSITIVE);
    /** Dose screens' usual descriptions; "low dose chest" is an ordinary series and must not match. */
    private static final Pattern DOSE_DESCRIPTION = Pattern.compile(
            "dose\\s*(report|info|screen|summary|record)|radiation\\s*dose|patient\\s*protocol", Pattern.CASE_INSENSITIVE);

    static SeriesTraits of(SeriesSummary s) {
        Map<String, String> h = s.attributes();
        String sopClass = h.getOrDefault("SOPClassUID", "").trim();
        int frames = intOr(h.get("NumberOfFrames"), 1);
        int slices = s.instanceCount() * Math.max(1, frames);
        if (sopClass.isEmpty()) return new SeriesTraits(null, null, localizer(s), null, slices);
        String nonImage = nonImage(sopClass, h);
        // multi-frame objects keep their geometry in functional groups, which the summary does not hold
        boolean geometryElsewhere = frames > 1;
        boolean hasGeometry = geometryElsewhere || (present(h, "ImagePositionPatient") && present(h, "ImageOrientationPatient"));
        String screen = screen(sopClass, s, hasGeometry);
        return new SeriesTraits(nonImage, screen, localizer(s), plane(h.get("ImageOrientationPatient")), slices);
    }

    /** The name of a non-image object (SR, SEG, presentation state, document, waveform, RT object), or null for an image. */
    static String nonImage(String sopClass, Map<String, String> h) {
        if (sopClass.equals(STORAGE + "88.67")) return "X-Ray Radiation Dose SR";
        if (sopClass.equals(STORAGE + "88.68")) return "Radiopharmaceutical Radiation Dose SR";
        if (sopClass.equals(STORAGE + "88.59")) return "Key Object Selection";
        if (sopClass.startsWith(STORAGE + "88.")) return "Structured Report";
        if (sopClass.equals(STORAGE + "66.4")) return "Segmentation";
        if (sopClass.equals(STORAGE + "66") || sopClass.startsWith(STORAGE + "66.")) return "non-image object (SOP class " + sopClass + ")";
        if (sopClass.startsWith(STORAGE + "11.")) return "Presentation State";
        if (sopClass.startsWith(STORAGE + "104.")) return "Encapsulated document";
        if (sopClass.startsWith(STORAGE + "9.")) return "Waveform";
        if (sopClass.startsWith(STORAGE + "481.") && !sopClass.equals(STORAGE + "481.1")) return "RT object (SOP class " + sopClass + ")";
        if (!present(h, "Rows") || !present(h, "Columns")) return "non-image object (SOP class " + sopClass + ", no pixel data)";
        return null;
    }

    /** Why the series is a picture rather than slices: Secondary Capture, dose screen, no patient geometry; or null. */
    private static String screen(String sopClass, SeriesSummary s, boolean hasGeometry) {
        boolean secondaryCapture = sopClass.equals(SECONDARY_CAPTURE) || sopClass.startsWith(SECONDARY_CAPTURE + ".");
        boolean dose = DOSE_DESCRIPTION.matcher(nz(s.seriesDescription())).find()
                || imageTypeHas(s, "SCREEN SAVE") || imageTypeHas(s, "DOSE INFO") || imageTypeHas(s, "DOSE_INFO");
        if (secondaryCapture) return dose ? "Secondary Capture (dose screen)" : "Secondary Capture";
        if (dose) return "dose screen";
        if (!hasGeometry) return "image without Image Position/Orientation (Patient) (a screen capture?)";
        return null;
    }

    private static boolean localizer(SeriesSummary s) {
        return imageTypeHas(s, "LOCALIZER") || LOCALIZER_DESCRIPTION.matcher(nz(s.seriesDescription())).find();
    }

    /** The plane whose normal is nearest the slice normal (row × column cosines): axial, coronal or sagittal; null if unknown. */
    static String plane(String orientation) {
        if (orientation == null) return null;
        String[] p = orientation.split("\\\\");
        if (p.length != 6) return null;
        double[] d = new double[6];
        try {
            for (int i = 0; i < 6; i++) d[i] = Double.parseDouble(p[i].trim());
        } catch (NumberFormatException e) {
            return null;
        }
        double nx = Math.abs(d[1] * d[5] - d[2] * d[4]);
        double ny = Math.abs(d[2] * d[3] - d[0] * d[5]);
        double nz = Math.abs(d[0] * d[4] - d[1] * d[3]);
        if (nx == 0 && ny == 0 && nz == 0) return null;
        return nz >= nx && nz >= ny ? "axial" : ny >= nx ? "coronal" : "sagittal";
    }

    private static boolean imageTypeHas(SeriesSummary s, String value) {
        for (String part : s.attributes().getOrDefault("ImageType", "").split("\\\\")) {
            if (part.trim().toUpperCase(Locale.ROOT).equals(value)) return true;
        }
        return false;
    }

    private static boolean present(Map<String, String> h, String keyword) {
        String v = h.get(keyword);
        return v != null && !v.isBlank();
    }

    private static int intOr(String v, int fallback) {
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
