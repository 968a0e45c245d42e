package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Report grounding. {@code lexicon} adds terms to the built-in table of the report parser (grounding module's
 * {@code lexicon.tsv}): a synonym of a known term ({@code sameAs}) or a new coded finding or site. {@code model}: the
 * name of a loaded {@code task: grounding} model package that locates findings instead of the rule-and-segmentation
 * method ("" = the rule method).
 */
public record GroundingConfig(@NotNull List<@Valid LexiconTermConfig> lexicon, @NotNull String model) {
    public GroundingConfig(List<LexiconTermConfig> lexicon) {
        this(lexicon, "");
    }

    public static GroundingConfig defaults() {
        return new GroundingConfig(List.of(), "");
    }
}
