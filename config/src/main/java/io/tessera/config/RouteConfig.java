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
 * rule can take (see {@link CompletionConfig}).
 */
public record RouteConfig(
        @NotBlank String name,
        @Valid MatchConfig match,
        @NotNull List<@NotBlank String> models,
        @NotEmpty List<@NotBlank String> destinations,
        @DurationMin(millis = 100, message = CompletionConfig.RANGE) @DurationMax(hours = 24, message = CompletionConfig.RANGE)
        Duration quietPeriod) {

    /** A rule without its own quiet period. */
    public RouteConfig(String name, MatchConfig match, List<String> models, List<String> destinations) {
        this(name, match, models, destinations, null);
    }

    public MatchConfig matchOrAny() {
        return match == null ? MatchConfig.any() : match;
    }
}
