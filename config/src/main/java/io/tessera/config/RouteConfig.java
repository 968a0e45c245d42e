package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A routing rule: series matching {@code match} go through {@code models}; the results go to {@code destinations}.
 * {@code quietPeriod} (optional) asks completion to wait at least this long for studies from the calling AEs this
 * rule can take (see {@link CompletionConfig}). {@code priority} orders rules (higher first); {@code select} picks among the
 * study's matching series (e.g. only the thinnest). A rule with destinations and no models forwards the series as received.
 */
public record RouteConfig(
        @NotBlank String name,
        @Valid MatchConfig match,
        @NotNull List<@NotBlank String> models,
        @NotEmpty List<@NotBlank String> destinations,
        @DurationMin(millis = 100, message = CompletionConfig.RANGE) @DurationMax(hours = 24, message = CompletionConfig.RANGE)
        Duration quietPeriod,
        Integer priority,
        @jakarta.validation.constraints.Pattern(regexp = "all|thinnest|most-instances",
                message = "must be one of all, thinnest, most-instances") String select) {

    /** A rule without its own quiet period. */
    public RouteConfig(String name, MatchConfig match, List<String> models, List<String> destinations) {
        this(name, match, models, destinations, null);
    }

    public RouteConfig(String name, MatchConfig match, List<String> models, List<String> destinations, Duration quietPeriod) {
        this(name, match, models, destinations, quietPeriod, null, null);
    }

    /** Higher runs first; rules of equal priority keep their order in the file. */
    public int priorityOrDefault() {
        return priority == null ? 0 : priority;
    }

    /** Among the study's matching series, which ones the rule takes: all (default), the thinnest, or the largest. */
    public String selectOrAll() {
        return select == null ? "all" : select;
    }

    public MatchConfig matchOrAny() {
        return match == null ? MatchConfig.any() : match;
    }
}
