package io.tessera.routes;

import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.util.List;
import java.util.regex.Pattern;

/** Decides which routing rules take a series. All given criteria of a rule must hold; absent criteria match anything. */
public final class RuleMatcher {
    private final List<RouteConfig> rules;

    public RuleMatcher(List<RouteConfig> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<RouteConfig> matching(SeriesSummary series) {
        return rules.stream().filter(r -> matches(r.matchOrAny(), series)).toList();
    }

    static boolean matches(MatchConfig m, SeriesSummary s) {
        return equalsIgnoreCase(m.modality(), s.modality())
                && equalsIgnoreCase(m.bodyPartExamined(), s.bodyPartExamined())
                && equalsIgnoreCase(m.callingAeTitle(), s.callingAeTitle())
                && (m.seriesDescription() == null || (s.seriesDescription() != null
                        && Pattern.compile(m.seriesDescription(), Pattern.CASE_INSENSITIVE).matcher(s.seriesDescription()).find()))
                && (m.minInstances() == null || s.instanceCount() >= m.minInstances());
    }

    private static boolean equalsIgnoreCase(String wanted, String actual) {
        return wanted == null || (actual != null && wanted.trim().equalsIgnoreCase(actual.trim()));
    }
}
