package io.tessera.dicomio;

/**
 * What {@link SeriesReader} does with frames that do not form a regular grid (configuration
 * {@code inference.geometry.irregularSpacing} and {@code inference.geometry.gantryTilt}).
 *
 * <p>Accepting (resample) keeps the frames as they are, with their exact positions in the series' {@code SliceRef}s;
 * {@code io.tessera.core.ModelSpace} then resamples them onto a regular grid for the model and maps the result back to
 * each source frame. Refusing fails the series with TSR-0204 (uneven spacing) or TSR-0210 (gantry tilt).
 *
 * @param resampleIrregularSpacing accept slices whose gaps differ by more than 1 % (or 0.01 mm)
 * @param resampleGantryTilt       accept slices whose origins drift in-plane by more than a tenth of a pixel
 */
public record GeometryPolicy(boolean resampleIrregularSpacing, boolean resampleGantryTilt) {
    /** Refuse both (the reader's historic behaviour; what {@code new SeriesReader()} does). */
    public static GeometryPolicy strict() {
        return new GeometryPolicy(false, false);
    }

    /** Resample both (the configuration's default). */
    public static GeometryPolicy resampling() {
        return new GeometryPolicy(true, true);
    }

    /** From configuration values {@code resample} or {@code refuse}. */
    public static GeometryPolicy of(String irregularSpacing, String gantryTilt) {
        return new GeometryPolicy(resample(irregularSpacing), resample(gantryTilt));
    }

    private static boolean resample(String v) {
        if ("resample".equals(v)) return true;
        if ("refuse".equals(v)) return false;
        throw new IllegalArgumentException("geometry policy must be resample or refuse, not '" + v + "'");
    }
}
