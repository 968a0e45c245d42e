package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** A routing rule: series matching {@code match} go through {@code models}; the results go to {@code destinations}. */
public record RouteConfig(
        @NotBlank String name,
        @Valid MatchConfig match,
        @NotNull List<@NotBlank String> models,
        @NotEmpty List<@NotBlank String> destinations) {
    public MatchConfig matchOrAny() {
        return match == null ? MatchConfig.any() : match;
    }
}
