package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/**
 * One extra report-parser term, e.g. {@code {kind: site, phrase: hepar, sameAs: liver}} or
 * {@code {kind: finding, phrase: granuloma, code: "45647009", meaning: Granuloma}}.
 *
 * @param kind    finding, site, negation, negation-post, uncertainty, historical
 * @param phrase  the words as written (matched case-insensitively, whole words)
 * @param sameAs  a phrase the built-in lexicon already knows; the new phrase means exactly that
 * @param code    SNOMED CT code of a new finding or site (when not {@code sameAs})
 * @param meaning its code meaning
 * @param organ   for a new site: the segmentation label it lies in (e.g. {@code liver}), empty when none
 */
public record LexiconTermConfig(
        @NotBlank @Pattern(regexp = "finding|site|negation|negation-post|uncertainty|historical",
                message = "must be one of finding, site, negation, negation-post, uncertainty, historical") String kind,
        @NotBlank String phrase, String sameAs, String code, String meaning, String organ) {

    private static final Set<String> CODED = Set.of("finding", "site");

    @AssertTrue(message = "a finding or site needs sameAs, or both code and meaning")
    public boolean isCodedWhereNeeded() {
        if (kind == null || !CODED.contains(kind)) return true;
        return present(sameAs) || (present(code) && present(meaning));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
