package io.tessera.config;

import java.util.Map;

/**
 * Which series a rule takes. Every given criterion must hold (absent = any). Strings compare case-insensitively;
 * {@code seriesDescription} is a regular expression searched in the description; {@code attributes} tests any DICOM
 * attribute by keyword (see {@link AttributeCondition}); {@code timeOfDay} is a local-time window {@code HH:mm-HH:mm}
 * (it may wrap midnight) in which the rule is active.
 */
public record MatchConfig(String modality, String bodyPartExamined, String seriesDescription, String callingAeTitle,
                          Integer minInstances, Integer maxInstances, Map<String, AttributeCondition> attributes,
                          String timeOfDay) {

    public MatchConfig(String modality, String bodyPartExamined, String seriesDescription, String callingAeTitle,
                       Integer minInstances) {
        this(modality, bodyPartExamined, seriesDescription, callingAeTitle, minInstances, null, null, null);
    }

    public static MatchConfig any() {
        return new MatchConfig(null, null, null, null, null);
    }

    public Map<String, AttributeCondition> attributesOrNone() {
        return attributes == null ? Map.of() : attributes;
    }
}
