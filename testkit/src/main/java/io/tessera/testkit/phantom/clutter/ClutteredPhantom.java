package io.tessera.testkit.phantom.clutter;

import io.tessera.core.LabelMap;
import io.tessera.testkit.phantom.Phantom;
import java.util.List;

/**
 * A cluttered phantom and its truth.
 *
 * @param phantom       CT, organ truth (the project's label values; bowel drawn over the liver keeps the liver label),
 *                      lesion truth (voxel centre inside a target, 1-based index), report text and sentence roles
 * @param distractorMap 0, or {@link ClutterKind#ordinal()} + 1 of the distractor drawn at the voxel centre
 * @param sentences     the report's sentences with the kind of each (positive, negated, other measurement, ...)
 * @param sliceMm       slice thickness (= spacing) of this phantom
 * @param noiseHu       noise standard deviation
 * @param description   one line: habitus, arms, thickness, noise, targets and distractors (no patient data: synthetic)
 */
public record ClutteredPhantom(ClutterSpec spec, Phantom phantom, LabelMap distractorMap, List<ClutterSentence> sentences,
                               double sliceMm, double noiseHu, String description) {
    public ClutteredPhantom {
        sentences = List.copyOf(sentences);
    }

    public ClutterKind distractorAt(int voxel) {
        return ClutterKind.ofMapValue(distractorMap.labels()[voxel] & 0xff);
    }
}
