package io.tessera.dicomio;

import io.tessera.core.Code;

/**
 * One TID 1411 measurement group as {@link MeasurementReportReader} reads it back.
 *
 * @param finding        the Finding code
 * @param findingSite    the Finding Site code, or {@code null}
 * @param laterality     the site's Laterality modifier, or {@code null}
 * @param segmentSopInstanceUid the SEG instance of the Referenced Segment
 * @param segmentNumber  the Referenced Segment Number
 * @param volumeMl       Volume in ml, NaN when absent
 * @param maxDiameterMm  maximum Diameter in mm, NaN when absent
 */
public record SrMeasurementGroup(String trackingId, String trackingUid, Code finding, Code findingSite, Code laterality,
                                 String segmentSopInstanceUid, int segmentNumber, String sourceSeriesUid,
                                 double volumeMl, double maxDiameterMm) {}
