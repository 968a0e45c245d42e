package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {
    private static SeriesSummary series(String modality, String body, String desc, int n) {
        return new SeriesSummary("1.2", "1.2.3", modality, body, desc, "MODALITY1", Collections.nCopies(n, Path.of("x.dcm")));
    }

    private static RouteConfig rule(String name, MatchConfig m) {
        return new RouteConfig(name, m, List.of("ct-phantom-organs"), List.of("pacs"));
    }

    @Test
    void ct_rule_takes_ct_series_and_ignores_mr() {
        RuleMatcher matcher = new RuleMatcher(List.of(rule("ct", new MatchConfig("CT", null, null, null, null))));
        assertEquals(1, matcher.matching(series("ct", "CHEST", "Thorax 1mm", 10)).size());
        assertTrue(matcher.matching(series("MR", "CHEST", "T1", 10)).isEmpty());
    }

    @Test
    void every_given_criterion_must_hold() {
        RouteConfig r = rule("chest-thin", new MatchConfig("CT", "chest", "1\\s*mm", "MODALITY1", 20));
        RuleMatcher matcher = new RuleMatcher(List.of(r, rule("any", null)));
        assertEquals(List.of("chest-thin", "any"), matcher.matching(series("CT", "CHEST", "Thorax 1 mm", 20)).stream().map(RouteConfig::name).toList());
        assertEquals(List.of("any"), matcher.matching(series("CT", "CHEST", "Thorax 5 mm", 20)).stream().map(RouteConfig::name).toList());
        assertEquals(List.of("any"), matcher.matching(series("CT", "CHEST", "Thorax 1 mm", 19)).stream().map(RouteConfig::name).toList());
        assertEquals(List.of("any"), matcher.matching(series("CT", null, "Thorax 1 mm", 20)).stream().map(RouteConfig::name).toList());
    }
}
