package io.tessera.grounding;

import java.util.List;
import java.util.Optional;

/**
 * Reads a site in words the lexicon does not know ("intrahepatic", "renal cortex"), for a finding whose clause names
 * no known site. A guess is an unsided, whole organ of the lexicon; it never decides left or right, nor a lobe or
 * segment: those come from the text's own words only.
 */
public interface SiteGuesser {
    /** No guessing: findings without a known site stay without one. */
    SiteGuesser NONE = words -> Optional.empty();

    /** The best-supported site among the candidate words (single words and runs of them), or empty. */
    Optional<Guess> guess(List<String> candidates);

    /**
     * @param words      the report's words read as the site
     * @param site       the lexicon site term they were read as (unsided, no zone)
     * @param nearest    the lexicon phrase (or synonym) they were nearest to
     * @param similarity cosine similarity of the two phrases' vectors
     * @param method     what made the vectors, for the evidence line
     */
    record Guess(String words, Term site, String nearest, double similarity, String method) {}
}
