package io.tessera.routes;

import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.util.List;

/**
 * Whether a rule's models can use a series it matched. Real studies carry more than reconstructions — a scout, a dose
 * screen, a radiation dose SR — and a 3D model run on those makes a wrong SEG or fails the study; so rules with
 * models skip them by default, each with a reason that names the key to change ({@link MatchConfig}). Forward-only
 * rules send everything on unless they set a key themselves: forwarding a dose screen to a PACS is normal.
 */
final class SeriesEligibility {
    private SeriesEligibility() {}

    /**
     * @param ruleIndex the rule's position in the configuration ({@code routes[i]}), for the reason's advice
     * @return why the rule does not take the series, or null when it does
     */
    static SkippedSeries check(RouteConfig rule, int ruleIndex, SeriesSummary s) {
        return check(rule, ruleIndex, s, false);
    }

    /**
     * @param singleFrameModels true when every model of the rule runs on single-frame images (a classifier): then the
     *                          series is taken when it holds single-frame images of a projection or picture class (CR,
     *                          DX, MG, secondary capture, ...); slices of a volume, dose screens and multi-frame objects
     *                          are skipped with their reason
     */
    static SkippedSeries check(RouteConfig rule, int ruleIndex, SeriesSummary s, boolean singleFrameModels) {
        boolean models = !rule.models().isEmpty();
        if (models && singleFrameModels) return singleFrame(rule, s);
        MatchConfig m = rule.matchOrAny();
        SeriesTraits t = SeriesTraits.of(s);
        String key = "routes[" + ruleIndex + "].match.";
        if (models && t.nonImage() != null) {
            return skip(rule, s, "non-image", "not an image (" + t.nonImage() + ") — route '" + rule.name()
                    + "' has models, which segment images only; a route without models can forward it");
        }
        if (t.screen() != null && !m.includeSecondaryCapturesOr(models)) {
            return skip(rule, s, "secondary-capture", t.screen() + " — " + not(rule, models) + "; set " + key
                    + "includeSecondaryCaptures: true to include");
        }
        if (t.localizer() && !m.includeLocalizersOr(models)) {
            return skip(rule, s, "localizer", "localizer/scout — " + not(rule, models) + "; set " + key
                    + "includeLocalizers: true to include");
        }
        List<String> planes = m.planesOr(models);
        if (t.plane() != null && !planes.isEmpty() && !planes.contains(t.plane())) {
            return skip(rule, s, "plane", t.plane() + " slices — " + not(rule, models) + " (planes: " + planes + "); set " + key
                    + "planes: " + with(planes, t.plane()) + " to include");
        }
        int min = m.minSlicesOr(models);
        if (t.slices() < min) {
            return skip(rule, s, "few-slices", t.slices() + (t.slices() == 1 ? " slice" : " slices") + ", fewer than " + min
                    + " — " + not(rule, models) + "; set " + key + "minSlices: " + Math.max(1, t.slices()) + " to include");
        }
        return null;
    }

    /** Single-frame image classes a 2D model takes whole: projection radiographs, mammograms, pictures, one US frame. */
    private static final java.util.Set<String> SINGLE_FRAME_CLASSES = java.util.Set.of(
            "1.2.840.10008.5.1.4.1.1.1",       // CR
            "1.2.840.10008.5.1.4.1.1.1.1",     // DX for presentation
            "1.2.840.10008.5.1.4.1.1.1.1.1",   // DX for processing
            "1.2.840.10008.5.1.4.1.1.1.2",     // MG for presentation
            "1.2.840.10008.5.1.4.1.1.1.2.1",   // MG for processing
            "1.2.840.10008.5.1.4.1.1.6.1",     // US (one frame)
            "1.2.840.10008.5.1.4.1.1.7",       // secondary capture
            "1.2.840.10008.5.1.4.1.1.7.2",     // multi-frame grayscale byte SC (one frame)
            "1.2.840.10008.5.1.4.1.1.7.3");    // multi-frame grayscale word SC (one frame)

    private static SkippedSeries singleFrame(RouteConfig rule, SeriesSummary s) {
        java.util.Map<String, String> h = s.attributes();
        SeriesTraits t = SeriesTraits.of(s);
        if (t.nonImage() != null) {
            return skip(rule, s, "non-image", "not an image (" + t.nonImage() + ") — route '" + rule.name()
                    + "' classifies single-frame images");
        }
        String sopClass = h.getOrDefault("SOPClassUID", "").trim();
        if (!sopClass.isEmpty() && !SINGLE_FRAME_CLASSES.contains(sopClass)) {
            return skip(rule, s, "not-single-frame", "slices of a volume or another kind of image (SOP class " + sopClass
                    + ") — route '" + rule.name() + "' classifies single-frame images (CR, DX, MG, secondary capture, one US frame)");
        }
        String frames = h.get("NumberOfFrames");
        if (frames != null && !frames.isBlank() && !frames.trim().equals("1")) {
            return skip(rule, s, "multi-frame", frames.trim() + " frames — route '" + rule.name() + "' classifies single-frame images");
        }
        if (t.screen() != null && t.screen().contains("dose")) {
            return skip(rule, s, "secondary-capture", t.screen() + " — not a picture of the patient; route '" + rule.name()
                    + "' does not classify it");
        }
        return null;
    }

    private static String not(RouteConfig rule, boolean models) {
        return (models ? "not segmented" : "not forwarded") + " by route '" + rule.name() + "'";
    }

    private static List<String> with(List<String> planes, String plane) {
        return java.util.stream.Stream.concat(planes.stream(), java.util.stream.Stream.of(plane)).toList();
    }

    private static SkippedSeries skip(RouteConfig rule, SeriesSummary s, String kind, String why) {
        String number = s.attributes().get("SeriesNumber");
        String label = "series " + (number == null || number.isBlank() ? s.seriesInstanceUid() : number.trim())
                + (s.seriesDescription() == null || s.seriesDescription().isBlank() ? "" : " '" + s.seriesDescription().trim() + "'");
        return new SkippedSeries(rule.name(), s.seriesInstanceUid(), number, s.seriesDescription(), kind, label + ": " + why);
    }
}
