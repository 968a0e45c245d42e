package io.tessera.fhir;

import java.util.Objects;

/**
 * The DICOM SEG written for a result, as the FHIR ImagingStudy lists it.
 *
 * @param seriesInstanceUid SEG series UID
 * @param sopInstanceUid    SEG instance UID (the first, when the series holds several)
 * @param sopClassUid       normally {@link #SEGMENTATION_STORAGE}
 * @param seriesNumber      DICOM SeriesNumber of the SEG series
 * @param instanceCount     instances in the SEG series (at least 1)
 * @param description       SeriesDescription of the SEG
 */
public record SegReference(String seriesInstanceUid, String sopInstanceUid, String sopClassUid, int seriesNumber,
                           int instanceCount, String description) {
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

    public SegReference {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        if (instanceCount < 1) throw new IllegalArgumentException("instanceCount must be at least 1");
    }

    public static SegReference segmentation(String seriesUid, String sopUid, int seriesNumber, String description) {
        return new SegReference(seriesUid, sopUid, SEGMENTATION_STORAGE, seriesNumber, 1, description);
    }
}
