package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which series a rule's models may use: what scanners send beside the reconstructions is skipped, with a reason. */
class SeriesEligibilityTest {
    static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String AXIAL = "1\\0\\0\\0\\1\\0";
    static final String CORONAL = "1\\0\\0\\0\\0\\-1";
    static final String SAGITTAL = "0\\1\\0\\0\\0\\-1";
    static final MatchConfig CT = new MatchConfig("CT", null, null, null, null);
    static final RouteConfig SEGMENT = new RouteConfig("ct-organs", CT, List.of("organs"), List.of("pacs"));
    static final RouteConfig FORWARD = new RouteConfig("archive", CT, List.of(), List.of("pacs"));

    static SeriesSummary series(String number, String description, String sopClass, String imageType, String orientation,
                                int instances, String... more) {
        Map<String, String> h = new HashMap<>();
        h.put("SOPClassUID", sopClass);
        h.put("SeriesNumber", number);
        h.put("Modality", "CT");
        if (imageType != null) h.put("ImageType", imageType);
        if (orientation != null) {
            h.put("ImageOrientationPatient", orientation);
            h.put("ImagePositionPatient", "-100\\-100\\0");
        }
        if (!sopClass.contains(".88.")) {
            h.put("Rows", "512");
            h.put("Columns", "512");
        }
        for (int i = 0; i < more.length; i += 2) h.put(more[i], more[i + 1]);
        return new SeriesSummary("1.2", "1.2." + number, "CT", "CHEST", description, "CT1",
                Collections.nCopies(instances, Path.of(number + ".dcm")), h);
    }

    static SeriesSummary axial(int instances) {
        return series("2", "Abdomen 1.0 B30f", CT_IMAGE, "ORIGINAL\\PRIMARY\\AXIAL", AXIAL, instances);
    }

    static RouteConfig with(RouteConfig r, Boolean localizers, Boolean captures, List<String> planes, Integer minSlices) {
        return new RouteConfig(r.name(), r.matchOrAny().withEligibility(localizers, captures, planes, minSlices), r.models(),
                r.destinations());
    }

    @Test
    void an_axial_reconstruction_goes_to_the_model() {
        assertNull(SeriesEligibility.check(SEGMENT, 0, axial(120)));
    }

    @Test
    void a_scout_with_localizer_image_type_is_skipped_and_the_reason_names_the_key_that_includes_it() {
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 0,
                series("1", "Topogram 0.6 T20f", CT_IMAGE, "ORIGINAL\\PRIMARY\\LOCALIZER", CORONAL, 1));
        assertEquals("localizer", s.kind());
        assertEquals("series 1 'Topogram 0.6 T20f': localizer/scout — not segmented by route 'ct-organs';"
                + " set routes[0].match.includeLocalizers: true to include", s.reason());
    }

    @Test
    void a_scout_named_by_its_description_alone_is_a_localizer_too() {
        assertEquals("localizer", SeriesEligibility.check(SEGMENT, 0,
                series("1", "Surview", CT_IMAGE, "ORIGINAL\\PRIMARY", AXIAL, 2)).kind());
    }

    @Test
    void a_secondary_capture_dose_screen_is_skipped_as_a_secondary_capture() {
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 3,
                series("3", "Dose Report", "1.2.840.10008.5.1.4.1.1.7", "DERIVED\\SECONDARY\\OTHER", null, 1));
        assertEquals("secondary-capture", s.kind());
        assertEquals("series 3 'Dose Report': Secondary Capture (dose screen) — not segmented by route 'ct-organs';"
                + " set routes[3].match.includeSecondaryCaptures: true to include", s.reason());
    }

    @Test
    void a_dose_screen_in_a_ct_sop_class_is_known_by_its_description() {
        assertEquals("dose screen — not segmented by route 'ct-organs'; set routes[0].match.includeSecondaryCaptures: true"
                + " to include", after(SeriesEligibility.check(SEGMENT, 0,
                series("501", "Dose Info", CT_IMAGE, "ORIGINAL\\PRIMARY\\OTHER", AXIAL, 1)).reason()));
    }

    @Test
    void an_image_without_position_or_orientation_is_a_screen_capture_not_slices() {
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 0, series("9", "Protocol", CT_IMAGE, "ORIGINAL\\PRIMARY\\OTHER", null, 12));
        assertEquals("secondary-capture", s.kind());
        assertTrue(s.reason().contains("without Image Position/Orientation (Patient)"), s.reason());
    }

    @Test
    void low_dose_chest_is_an_ordinary_series_not_a_dose_screen() {
        assertNull(SeriesEligibility.check(SEGMENT, 0,
                series("4", "Low Dose Chest 1.25", CT_IMAGE, "ORIGINAL\\PRIMARY\\AXIAL", AXIAL, 200)));
    }

    @Test
    void a_dose_sr_is_never_given_to_a_model_but_a_forward_only_rule_sends_it_on() {
        SeriesSummary sr = series("997", "Radiation Dose Information", "1.2.840.10008.5.1.4.1.1.88.67", null, null, 1);
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 0, sr);
        assertEquals("non-image", s.kind());
        assertTrue(s.reason().startsWith("series 997 'Radiation Dose Information': not an image (X-Ray Radiation Dose SR)"),
                s.reason());
        assertNull(SeriesEligibility.check(FORWARD, 1, sr));
        assertEquals("non-image", SeriesEligibility.check(with(SEGMENT, true, true, List.of(), 1), 0, sr).kind(),
                "no key makes a model segment an SR");
    }

    @Test
    void a_coronal_reconstruction_is_skipped_unless_its_plane_is_listed() {
        SeriesSummary coronal = series("5", "Cor 3.0 MPR", CT_IMAGE, "DERIVED\\SECONDARY\\MPR", CORONAL, 90);
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 0, coronal);
        assertEquals("plane", s.kind());
        assertEquals("coronal slices — not segmented by route 'ct-organs' (planes: [axial]);"
                + " set routes[0].match.planes: [axial, coronal] to include", after(s.reason()));
        assertNull(SeriesEligibility.check(with(SEGMENT, null, null, List.of("axial", "coronal"), null), 0, coronal));
        assertEquals("sagittal", SeriesTraits.plane(SAGITTAL));
    }

    @Test
    void a_gantry_tilted_axial_series_is_still_axial() {
        double t = Math.toRadians(25);
        assertEquals("axial", SeriesTraits.plane("1\\0\\0\\0\\" + Math.cos(t) + "\\" + Math.sin(t)));
        assertEquals("coronal", SeriesTraits.plane("1\\0\\0\\0\\" + Math.cos(Math.toRadians(60)) + "\\" + Math.sin(Math.toRadians(60))));
    }

    @Test
    void a_short_series_is_too_few_slices_for_a_3d_model_unless_the_rule_lowers_min_slices() {
        SkippedSeries s = SeriesEligibility.check(SEGMENT, 0, axial(5));
        assertEquals("few-slices", s.kind());
        assertEquals("5 slices, fewer than 8 — not segmented by route 'ct-organs'; set routes[0].match.minSlices: 5 to include",
                after(s.reason()));
        assertNull(SeriesEligibility.check(with(SEGMENT, null, null, null, 5), 0, axial(5)));
    }

    @Test
    void a_rule_may_take_localizers_and_single_images_for_a_2d_model() {
        SeriesSummary scout = series("1", "Topogram", CT_IMAGE, "ORIGINAL\\PRIMARY\\LOCALIZER", CORONAL, 1);
        assertNull(SeriesEligibility.check(with(SEGMENT, true, null, List.of("coronal", "sagittal"), 1), 0, scout));
    }

    @Test
    void an_enhanced_multi_frame_counts_its_frames_and_keeps_its_geometry_in_functional_groups() {
        SeriesSummary mf = series("6", "MF", "1.2.840.10008.5.1.4.1.1.2.1", "DERIVED\\PRIMARY\\VOLUME\\NONE", null, 1,
                "NumberOfFrames", "48");
        assertNull(SeriesEligibility.check(SEGMENT, 0, mf));
    }

    @Test
    void forward_only_rules_send_scouts_and_dose_screens_as_received_unless_they_say_otherwise() {
        SeriesSummary scout = series("1", "Topogram", CT_IMAGE, "ORIGINAL\\PRIMARY\\LOCALIZER", CORONAL, 1);
        SeriesSummary screen = series("3", "Dose Report", "1.2.840.10008.5.1.4.1.1.7", "DERIVED\\SECONDARY\\OTHER", null, 1);
        assertNull(SeriesEligibility.check(FORWARD, 0, scout));
        assertNull(SeriesEligibility.check(FORWARD, 0, screen));
        SkippedSeries s = SeriesEligibility.check(with(FORWARD, false, null, null, null), 2, scout);
        assertEquals("series 1 'Topogram': localizer/scout — not forwarded by route 'archive';"
                + " set routes[2].match.includeLocalizers: true to include", s.reason());
    }

    @Test
    void the_plan_holds_the_jobs_and_every_skipped_series_with_the_rules_place_in_the_file() {
        DestinationConfig pacs = new DestinationConfig("pacs", "folder", null, null, 0, "unused", null, null);
        RouteConfig late = new RouteConfig("ct-organs", CT, List.of("organs"), List.of("pacs"), null, 9, null);
        StudyPlanner planner = new StudyPlanner(List.of(FORWARD, late), List.of(pacs));
        SeriesSummary scout = series("1", "Topogram", CT_IMAGE, "ORIGINAL\\PRIMARY\\LOCALIZER", CORONAL, 1);
        StudyPlan plan = planner.plan(List.of(scout, axial(100)), 1, LocalTime.NOON);
        assertEquals(List.of("ct-organs/organs/1.2.2", "archive/forward/1.2.1", "archive/forward/1.2.2"), plan.jobs().stream()
                .map(j -> j.route() + "/" + (j.isForward() ? "forward" : j.model()) + "/" + j.series().seriesInstanceUid()).toList());
        assertEquals(1, plan.skipped().size());
        assertTrue(plan.skipped().get(0).reason().endsWith("set routes[1].match.includeLocalizers: true to include"),
                plan.skipped().get(0).reason());
    }

    /** The reason after its "series N 'description': " head. */
    private static String after(String reason) {
        return reason.substring(reason.indexOf("': ") + 3);
    }

    @Test
    void a_classifier_route_takes_a_single_frame_radiograph_and_skips_volumes_and_dose_screens() {
        SeriesSummary dx = series("1", "Chest PA", "1.2.840.10008.5.1.4.1.1.1.1", "ORIGINAL\\PRIMARY", null, 1);
        assertEquals("secondary-capture", SeriesEligibility.check(SEGMENT, 0, dx).kind(), "a volume model skips it: no patient geometry");
        assertNull(SeriesEligibility.check(SEGMENT, 0, dx, true), "a classifier takes it though it has no geometry and one image");
        assertEquals("not-single-frame", SeriesEligibility.check(SEGMENT, 0, axial(120), true).kind());
        SeriesSummary dose = series("501", "Dose Report", "1.2.840.10008.5.1.4.1.1.7", "DERIVED\\SECONDARY\\OTHER", null, 1);
        assertEquals("secondary-capture", SeriesEligibility.check(SEGMENT, 0, dose, true).kind());
        SeriesSummary sr = series("9", "Report", "1.2.840.10008.5.1.4.1.1.88.34", null, null, 1);
        assertEquals("non-image", SeriesEligibility.check(SEGMENT, 0, sr, true).kind());
    }
}
