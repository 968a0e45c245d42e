package io.tessera.config;

/**
 * Which series a rule takes. Every given field must match (absent = any). Strings compare case-insensitively;
 * {@code seriesDescription} is a regular expression searched in the description.
 */
public record MatchConfig(String modality, String bodyPartExamined, String seriesDescription, String callingAeTitle, Integer minInstances) {
    public static MatchConfig any() {
        return new MatchConfig(null, null, null, null, null);
    }
}
