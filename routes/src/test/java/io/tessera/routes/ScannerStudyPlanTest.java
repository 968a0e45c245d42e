package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.testkit.ScannerStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CT study as scanners send it — two scouts, two axial reconstructions, a dose screen and a dose SR — read from disk
 * as the dry run reads it: a rule with models gets exactly one job per reconstruction and model, and says why it
 * skipped everything else.
 */
class ScannerStudyPlanTest {
    @TempDir
    static Path dir;
    static ScannerStudy study;
    static List<SeriesSummary> series;
    static final List<DestinationConfig> PACS = List.of(new DestinationConfig("pacs", "folder", null, null, 0, "unused", null, null));

    @BeforeAll
    static void write() throws Exception {
        study = ScannerStudy.of(new PhantomSpec(31, 48, 48, 16, 6.0, 5.0, 0, 12.0, 1)).withSagittalScout(true).write(dir);
        series = StudyPlanner.summariseFolder(dir, "CT1");
    }

    static StudyPlan plan(RouteConfig... rules) {
        return new StudyPlanner(List.of(rules), PACS).plan(series, 1, LocalTime.NOON);
    }

    /** The jobs as "route model role", sorted: the order of series on disk is not the point. */
    static List<String> jobs(StudyPlan plan) {
        return plan.jobs().stream().map(j -> j.route() + " " + (j.isForward() ? "forward" : j.model()) + " "
                + roleOf(j.series().seriesInstanceUid())).sorted().toList();
    }

    static String roleOf(String seriesUid) {
        return study.series().stream().filter(s -> s.seriesInstanceUid().equals(seriesUid)).findFirst().orElseThrow().role();
    }

    static Map<String, String> skipped(StudyPlan plan) {
        return plan.skipped().stream().collect(Collectors.toMap(s -> roleOf(s.seriesInstanceUid()), SkippedSeries::reason));
    }

    @Test
    void the_study_folder_holds_six_series_with_what_eligibility_looks_at() {
        assertEquals(6, series.size());
        SeriesSummary scout = series.stream().filter(s -> roleOf(s.seriesInstanceUid()).equals(ScannerStudy.CORONAL_SCOUT))
                .findFirst().orElseThrow();
        assertTrue(scout.attributes().get("ImageType").contains("LOCALIZER"), scout.attributes().toString());
        assertEquals("1\\0\\0\\0\\0\\-1", scout.attributes().get("ImageOrientationPatient"));
        SeriesSummary screen = series.stream().filter(s -> roleOf(s.seriesInstanceUid()).equals(ScannerStudy.DOSE_SCREEN))
                .findFirst().orElseThrow();
        assertEquals("1.2.840.10008.5.1.4.1.1.7", screen.attributes().get("SOPClassUID"));
        assertEquals("CT", screen.modality());
        assertEquals(null, screen.attributes().get("ImagePositionPatient"));
    }

    @Test
    void a_ct_rule_with_two_models_segments_each_axial_reconstruction_once_per_model_and_skips_the_scouts_and_the_dose_screen() {
        StudyPlan plan = plan(new RouteConfig("ct-organs", new MatchConfig("CT", null, null, null, null),
                List.of("organs", "lesions"), List.of("pacs")));
        assertEquals(List.of("ct-organs lesions axial", "ct-organs lesions axial-thick", "ct-organs organs axial",
                "ct-organs organs axial-thick"), jobs(plan));
        Map<String, String> skipped = skipped(plan);
        assertEquals(3, skipped.size(), skipped.toString());
        assertEquals("series 1 'Topogram 0.6 T20f': localizer/scout — not segmented by route 'ct-organs';"
                + " set routes[0].match.includeLocalizers: true to include", skipped.get(ScannerStudy.CORONAL_SCOUT));
        assertTrue(skipped.get(ScannerStudy.SAGITTAL_SCOUT).startsWith("series 2 'Topogram 0.6 T20f lat': localizer/scout"),
                skipped.toString());
        assertEquals("series 501 'Dose Report': Secondary Capture (dose screen) — not segmented by route 'ct-organs';"
                + " set routes[0].match.includeSecondaryCaptures: true to include", skipped.get(ScannerStudy.DOSE_SCREEN));
    }

    @Test
    void a_rule_on_every_series_also_says_the_dose_sr_is_not_an_image() {
        StudyPlan plan = plan(new RouteConfig("all-to-ai", null, List.of("organs"), List.of("pacs")));
        assertEquals(List.of("all-to-ai organs axial", "all-to-ai organs axial-thick"), jobs(plan));
        Map<String, String> skipped = skipped(plan);
        assertEquals(4, skipped.size(), skipped.toString());
        assertTrue(skipped.get(ScannerStudy.DOSE_REPORT).startsWith(
                "series 502 'Radiation Dose Information': not an image (X-Ray Radiation Dose SR)"), skipped.toString());
    }

    @Test
    void a_forward_only_rule_sends_every_series_on_as_received() {
        StudyPlan plan = plan(new RouteConfig("archive", null, List.of(), List.of("pacs")));
        assertEquals(6, plan.jobs().size(), jobs(plan).toString());
        assertTrue(plan.skipped().isEmpty(), plan.skipped().toString());
    }

    @Test
    void select_thinnest_picks_among_the_usable_reconstructions_only() {
        StudyPlan plan = plan(new RouteConfig("thinnest", new MatchConfig("CT", null, null, null, null), List.of("organs"),
                List.of("pacs"), null, null, "thinnest"));
        assertEquals(List.of("thinnest organs axial"), jobs(plan));
    }
}
