package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.AttributeCondition;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules on any attribute, time windows, priorities and series selection, with the reasons the dry run prints. */
class RuleExplanationTest {
    static final LocalTime NOON = LocalTime.of(12, 0);
    static final List<io.tessera.config.DestinationConfig> PACS = List.of(
            new io.tessera.config.DestinationConfig("pacs", "folder", null, null, 0, "unused", null, null));

    static SeriesSummary series(String uid, String thickness, String imageType, int n) {
        return new SeriesSummary("1.2", uid, "CT", "CHEST", "Thorax", "CT1", Collections.nCopies(n, Path.of(uid + ".dcm")),
                Map.of("Manufacturer", "SIEMENS", "SliceThickness", thickness, "ImageType", imageType, "StationName", "CT2"));
    }

    static RouteConfig rule(String name, Map<String, AttributeCondition> attributes, String window, Integer priority, String select) {
        return new RouteConfig(name, new MatchConfig("CT", null, null, null, null, null, attributes, window),
                List.of("m"), List.of("pacs"), null, priority, select);
    }

    @Test
    void attribute_conditions_test_equality_sets_ranges_regex_and_multivalue_membership() {
        SeriesSummary s = series("1.2.3", "1.0", "ORIGINAL\\PRIMARY\\AXIAL", 300);
        assertTrue(RuleMatcher.test(AttributeCondition.of("siemens"), "SIEMENS"));
        assertTrue(RuleMatcher.test(AttributeCondition.of(null, List.of("CT1", "CT2"), null, null, null, null, null), "CT2"));
        assertTrue(RuleMatcher.test(AttributeCondition.of(null, null, null, null, 1.5, null, null), "1.0"));
        assertFalse(RuleMatcher.test(AttributeCondition.of(null, null, null, 2.0, null, null, null), "1.0"));
        assertTrue(RuleMatcher.test(AttributeCondition.of(null, null, "thor|chest", null, null, null, null), "CT THORAX"));
        assertTrue(RuleMatcher.test(AttributeCondition.of(null, null, null, null, null, "AXIAL", null), "ORIGINAL\\PRIMARY\\AXIAL"));
        assertFalse(RuleMatcher.test(AttributeCondition.of(null, null, null, null, null, "AXIAL", null), "ORIGINAL\\PRIMARY\\LOCALIZER"));
        assertTrue(RuleMatcher.test(AttributeCondition.of(null, null, null, null, null, null, false), null));
        assertFalse(RuleMatcher.test(AttributeCondition.of("SIEMENS"), null), "an absent attribute fails a value test");

        RuleMatcher.Verdict v = RuleMatcher.explain(rule("thin-axial", Map.of(
                "ImageType", AttributeCondition.of(null, null, null, null, null, "AXIAL", null),
                "SliceThickness", AttributeCondition.of(null, null, null, null, 0.5, null, null)), null, null, null), s, NOON);
        assertFalse(v.matches());
        assertEquals(1, v.failed().size(), v.failed().toString());
        assertTrue(v.failed().get(0).startsWith("SliceThickness in [-inf, 0.5] (series: 1.0)"), v.failed().toString());
        assertTrue(v.held().contains("modality = CT (series: CT)"), v.held().toString());
    }

    @Test
    void time_windows_may_wrap_midnight() {
        assertTrue(RuleMatcher.inWindow("08:00-18:00", NOON));
        assertFalse(RuleMatcher.inWindow("22:00-06:00", NOON));
        assertTrue(RuleMatcher.inWindow("22:00-06:00", LocalTime.of(23, 30)));
        assertTrue(RuleMatcher.inWindow("22:00-06:00", LocalTime.of(5, 59)));
        assertFalse(RuleMatcher.inWindow("22:00-06:00", LocalTime.of(6, 0)));
    }

    @Test
    void higher_priority_rules_plan_first_and_select_picks_the_thinnest_series() {
        SeriesSummary thick = series("1.2.5", "5.0", "ORIGINAL\\PRIMARY\\AXIAL", 60);
        SeriesSummary thin = series("1.2.1", "1.0", "ORIGINAL\\PRIMARY\\AXIAL", 300);
        StudyPlanner planner = new StudyPlanner(List.of(
                rule("everything", Map.of(), null, null, null),
                rule("thinnest-axial", Map.of("ImageType", AttributeCondition.of(null, null, null, null, null, "AXIAL", null)),
                        null, 10, "thinnest")), PACS);
        List<Job> jobs = planner.plan(List.of(thick, thin), 1, NOON).jobs();
        assertEquals(List.of("thinnest-axial", "everything", "everything"), jobs.stream().map(Job::route).toList());
        assertEquals("1.2.1", jobs.get(0).series().seriesInstanceUid());
    }

    @Test
    void a_rule_outside_its_time_window_does_not_fire() {
        StudyPlanner planner = new StudyPlanner(List.of(rule("nights", Map.of(), "22:00-06:00", null, null)), PACS);
        assertTrue(planner.plan(List.of(series("1.2.1", "1.0", "AXIAL", 10)), 1, NOON).jobs().isEmpty());
        assertEquals(1, planner.plan(List.of(series("1.2.1", "1.0", "AXIAL", 10)), 1, LocalTime.of(23, 0)).jobs().size());
    }
}
