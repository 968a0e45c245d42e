package io.tessera.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;

/**
 * Which series a rule takes. Every given criterion must hold (absent = any). Strings compare case-insensitively;
 * {@code seriesDescription} is a regular expression searched in the description; {@code attributes} tests any DICOM
 * attribute by keyword (see {@link AttributeCondition}); {@code timeOfDay} is a local-time window {@code HH:mm-HH:mm}
 * (it may wrap midnight) in which the rule is active.
 *
 * <p>The last four keys say which series a model can use at all, so that a plain {@code modality: CT} does not send a
 * scout or a dose screen to a 3D model. Absent, they default by the kind of rule: a rule with models skips localizers,
 * Secondary Captures (dose screens, images without patient geometry), series not in an allowed plane and series of
 * fewer than 8 slices; a forward-only rule takes them all (sending a dose screen on to a PACS is normal). A skipped
 * series is not a failed match: it is reported with its reason.
 *
 * @param includeLocalizers        take scouts/localizers (ImageType LOCALIZER, or a description such as Topogram)
 * @param includeSecondaryCaptures take Secondary Capture images, dose screens and images without position/orientation
 * @param planes                   the slice planes taken ({@code axial}, {@code coronal}, {@code sagittal}), by the slice
 *                                 normal's nearest patient axis
 * @param minSlices                the fewest slices (instances × frames) a series must have
 */
public record MatchConfig(String modality, String bodyPartExamined, String seriesDescription, String callingAeTitle,
                          Integer minInstances, Integer maxInstances, Map<String, AttributeCondition> attributes,
                          String timeOfDay, Boolean includeLocalizers, Boolean includeSecondaryCaptures,
                          List<@Pattern(regexp = "axial|coronal|sagittal", message = "must be axial, coronal or sagittal")
                                  String> planes,
                          @Min(value = 1, message = "must be at least 1") Integer minSlices) {
    /** What a rule with models takes when it does not say: axial series of at least this many slices. */
    public static final int DEFAULT_MIN_SLICES = 8;
    public static final List<String> DEFAULT_PLANES = List.of("axial");

    public MatchConfig(String modality, String bodyPartExamined, String seriesDescription, String callingAeTitle,
                       Integer minInstances, Integer maxInstances, Map<String, AttributeCondition> attributes,
                       String timeOfDay) {
        this(modality, bodyPartExamined, seriesDescription, callingAeTitle, minInstances, maxInstances, attributes, timeOfDay,
                null, null, null, null);
    }

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

    /** The same criteria with the series-eligibility keys set (null: the rule kind's default). */
    public MatchConfig withEligibility(Boolean localizers, Boolean secondaryCaptures, List<String> planes, Integer minSlices) {
        return new MatchConfig(modality, bodyPartExamined, seriesDescription, callingAeTitle, minInstances, maxInstances,
                attributes, timeOfDay, localizers, secondaryCaptures, planes, minSlices);
    }

    public boolean includeLocalizersOr(boolean forModels) {
        return includeLocalizers != null ? includeLocalizers : !forModels;
    }

    public boolean includeSecondaryCapturesOr(boolean forModels) {
        return includeSecondaryCaptures != null ? includeSecondaryCaptures : !forModels;
    }

    /** The planes taken; empty means any plane. */
    public List<String> planesOr(boolean forModels) {
        return planes != null ? planes : forModels ? DEFAULT_PLANES : List.of();
    }

    public int minSlicesOr(boolean forModels) {
        return minSlices != null ? minSlices : forModels ? DEFAULT_MIN_SLICES : 1;
    }
}
