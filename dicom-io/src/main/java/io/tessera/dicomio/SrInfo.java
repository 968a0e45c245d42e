package io.tessera.dicomio;

/** What {@link MeasurementReportWriter} wrote: identity of the SR instance and how many measurement groups it holds. */
public record SrInfo(String sopClassUid, String sopInstanceUid, String seriesInstanceUid, int measurementGroups) {
    public static final String COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";
}
