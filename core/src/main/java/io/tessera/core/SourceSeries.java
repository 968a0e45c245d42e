package io.tessera.core;

import java.util.List;

/**
 * A series made into a volume: identity, the volume in patient space, and per slice {@code k} the source image
 * ({@code slices.get(k)} is slice k of {@code volume.grid()}).
 */
public record SourceSeries(
        StudyInfo study,
        String seriesInstanceUid,
        String modality,
        String seriesDescription,
        String seriesNumber,
        String bodyPartExamined,
        String frameOfReferenceUid,
        String imageOrientationPatient,
        String pixelSpacing,
        Volume volume,
        List<SliceRef> slices) {
    public SourceSeries {
        slices = List.copyOf(slices);
        if (slices.size() != volume.grid().nz()) {
            throw new IllegalArgumentException("slices " + slices.size() + " != volume depth " + volume.grid().nz());
        }
    }
}
