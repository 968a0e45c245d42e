package io.tessera.routes;

import io.tessera.config.AttributeCondition;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides which routing rules take a series, and says why (for the dry run). All given criteria of a rule must hold;
 * absent criteria match anything. Rules are considered in priority order (higher first, then file order).
 */
public final class RuleMatcher {
    /** One rule's verdict on one series: {@code failed} lists the criteria that did not hold (empty: it matches). */
    public record Verdict(RouteConfig rule, List<String> held, List<String> failed) {
        public boolean matches() {
            return failed.isEmpty();
        }
    }

    private final List<RouteConfig> rules;

    public RuleMatcher(List<RouteConfig> rules) {
        List<RouteConfig> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(RouteConfig::priorityOrDefault).reversed());
        this.rules = List.copyOf(sorted);
    }

    public List<RouteConfig> rules() {
        return rules;
    }

    public List<RouteConfig> matching(SeriesSummary series) {
        return matching(series, LocalTime.now());
    }

    public List<RouteConfig> matching(SeriesSummary series, LocalTime now) {
        return rules.stream().filter(r -> explain(r, series, now).matches()).toList();
    }

    public List<Verdict> explain(SeriesSummary series, LocalTime now) {
        return rules.stream().map(r -> explain(r, series, now)).toList();
    }

    static Verdict explain(RouteConfig rule, SeriesSummary s, LocalTime now) {
        MatchConfig m = rule.matchOrAny();
        List<String> held = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        check(m.modality() == null || equalsIgnoreCase(m.modality(), s.modality()), "modality = " + m.modality()
                + " (series: " + s.modality() + ")", m.modality() != null, held, failed);
        check(m.bodyPartExamined() == null || equalsIgnoreCase(m.bodyPartExamined(), s.bodyPartExamined()),
                "bodyPartExamined = " + m.bodyPartExamined() + " (series: " + s.bodyPartExamined() + ")",
                m.bodyPartExamined() != null, held, failed);
        check(m.callingAeTitle() == null || equalsIgnoreCase(m.callingAeTitle(), s.callingAeTitle()),
                "callingAeTitle = " + m.callingAeTitle() + " (sender: " + s.callingAeTitle() + ")", m.callingAeTitle() != null,
                held, failed);
        check(m.seriesDescription() == null || (s.seriesDescription() != null
                        && Pattern.compile(m.seriesDescription(), Pattern.CASE_INSENSITIVE).matcher(s.seriesDescription()).find()),
                "seriesDescription ~ /" + m.seriesDescription() + "/ (series: " + s.seriesDescription() + ")",
                m.seriesDescription() != null, held, failed);
        check(m.minInstances() == null || s.instanceCount() >= m.minInstances(),
                "instances >= " + m.minInstances() + " (series: " + s.instanceCount() + ")", m.minInstances() != null, held, failed);
        check(m.maxInstances() == null || s.instanceCount() <= m.maxInstances(),
                "instances <= " + m.maxInstances() + " (series: " + s.instanceCount() + ")", m.maxInstances() != null, held, failed);
        check(m.timeOfDay() == null || inWindow(m.timeOfDay(), now), "timeOfDay " + m.timeOfDay() + " (now: "
                + now.withNano(0) + ")", m.timeOfDay() != null, held, failed);
        for (Map.Entry<String, AttributeCondition> e : m.attributesOrNone().entrySet()) {
            String value = s.attributes().get(e.getKey());
            check(test(e.getValue(), value), e.getKey() + " " + e.getValue().describe() + " (series: " + value + ")", true,
                    held, failed);
        }
        return new Verdict(rule, held, failed);
    }

    private static void check(boolean ok, String what, boolean given, List<String> held, List<String> failed) {
        if (!given) return;
        (ok ? held : failed).add(what);
    }

    static boolean test(AttributeCondition c, String value) {
        if (c.present() != null) return c.present() == (value != null && !value.isEmpty());
        if (value == null) return false;
        if (c.equals() != null) return c.equals().trim().equalsIgnoreCase(value.trim());
        if (c.in() != null) return c.in().stream().anyMatch(v -> v.trim().equalsIgnoreCase(value.trim()));
        if (c.regex() != null) return Pattern.compile(c.regex(), Pattern.CASE_INSENSITIVE).matcher(value).find();
        if (c.contains() != null) {
            for (String part : value.split("\\\\")) if (part.trim().equalsIgnoreCase(c.contains().trim())) return true;
            return false;
        }
        if (c.min() != null || c.max() != null) {
            try {
                double v = Double.parseDouble(value.split("\\\\")[0].trim());
                return (c.min() == null || v >= c.min()) && (c.max() == null || v <= c.max());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** {@code HH:mm-HH:mm}, start inclusive, end exclusive; a window that wraps midnight (22:00-06:00) works. */
    static boolean inWindow(String window, LocalTime now) {
        String[] parts = window.split("-");
        LocalTime from = LocalTime.parse(parts[0].trim());
        LocalTime to = LocalTime.parse(parts[1].trim());
        return from.isBefore(to) ? !now.isBefore(from) && now.isBefore(to) : !now.isBefore(from) || now.isBefore(to);
    }

    private static boolean equalsIgnoreCase(String wanted, String actual) {
        return actual != null && wanted.trim().toUpperCase(Locale.ROOT).equals(actual.trim().toUpperCase(Locale.ROOT));
    }
}
