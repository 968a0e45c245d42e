package io.tessera.dicomio;

import java.util.Objects;

/**
 * Series-level attributes of a CT series written by {@link CtSeriesWriter}.
 *
 * @param rescaleIntercept stored value = round((HU - intercept) / slope), clamped to 16-bit signed
 */
public record CtSeriesSpec(
        String seriesInstanceUid,
        int seriesNumber,
        String seriesDescription,
        String frameOfReferenceUid,
        String bodyPartExamined,
        String manufacturer,
        String patientPosition,
        double sliceThickness,
        double rescaleIntercept,
        double rescaleSlope) {

    public CtSeriesSpec {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
        if (!(rescaleSlope > 0)) throw new IllegalArgumentException("rescaleSlope must be positive");
    }

    /** Typical defaults: HFS, intercept −1024, slope 1, slice thickness = slice spacing (0 means "use the grid's"). */
    public static CtSeriesSpec of(String seriesInstanceUid, String frameOfReferenceUid, String seriesDescription) {
        return new CtSeriesSpec(seriesInstanceUid, 1, seriesDescription, frameOfReferenceUid, "ABDOMEN", "Tessera", "HFS",
                0, -1024, 1);
    }

    public CtSeriesSpec withSeriesNumber(int n) {
        return new CtSeriesSpec(seriesInstanceUid, n, seriesDescription, frameOfReferenceUid, bodyPartExamined, manufacturer,
                patientPosition, sliceThickness, rescaleIntercept, rescaleSlope);
    }

    public CtSeriesSpec withBodyPart(String bodyPart) {
        return new CtSeriesSpec(seriesInstanceUid, seriesNumber, seriesDescription, frameOfReferenceUid, bodyPart, manufacturer,
                patientPosition, sliceThickness, rescaleIntercept, rescaleSlope);
    }
}
