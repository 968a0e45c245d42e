package io.tessera.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What to do with series whose slices do not form a regular grid: {@code resample} them onto one (the result still maps
 * back to every source frame) or {@code refuse} them with a clear reason (TSR-0204 uneven spacing, TSR-0210 gantry tilt).
 */
public record GeometryConfig(
        @NotNull @Pattern(regexp = "resample|refuse", message = "must be resample or refuse") String irregularSpacing,
        @NotNull @Pattern(regexp = "resample|refuse", message = "must be resample or refuse") String gantryTilt) {

    public static GeometryConfig defaults() {
        return new GeometryConfig("resample", "resample");
    }
}
