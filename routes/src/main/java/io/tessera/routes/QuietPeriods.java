package io.tessera.routes;

import io.tessera.config.CompletionConfig;
import io.tessera.config.RouteConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A study's quiet period from its calling AE title: {@code completion.perCallingAe[AE]} if given; else the largest
 * {@code quietPeriod} among the routes that can take studies from that AE ({@code match.callingAeTitle} absent or equal,
 * case-insensitively, as {@link RuleMatcher} compares it) and set one; else {@code completion.quietPeriod}.
 * The largest wins because completing early for one route would start every route on a partial study.
 */
public final class QuietPeriods implements Function<String, Duration> {
    private final Map<String, Duration> perCallingAe;
    private final List<RouteConfig> routes;
    private final Duration global;
    private final Map<String, Duration> cache = new ConcurrentHashMap<>();

    public QuietPeriods(CompletionConfig completion, List<RouteConfig> routes) {
        this.perCallingAe = Map.copyOf(completion.perCallingAe());
        this.routes = List.copyOf(routes);
        this.global = Objects.requireNonNull(completion.quietPeriod(), "quietPeriod");
    }

    @Override
    public Duration apply(String callingAe) {
        return cache.computeIfAbsent(callingAe == null ? "" : callingAe.trim(), this::compute);
    }

    private Duration compute(String ae) {
        for (Map.Entry<String, Duration> e : perCallingAe.entrySet()) {
            if (e.getKey().trim().equals(ae)) return e.getValue();
        }
        Duration largest = null;
        for (RouteConfig r : routes) {
            String wanted = r.matchOrAny().callingAeTitle();
            boolean takes = wanted == null || wanted.trim().equalsIgnoreCase(ae);
            if (takes && r.quietPeriod() != null && (largest == null || r.quietPeriod().compareTo(largest) > 0)) {
                largest = r.quietPeriod();
            }
        }
        return largest != null ? largest : global;
    }
}
