package io.tessera.routes;

/**
 * A series a rule matched but does not give to its models, and why. {@code kind} is a stable word for programs
 * ({@code non-image}, {@code secondary-capture}, {@code localizer}, {@code plane}, {@code few-slices}); {@code reason}
 * is the sentence for people, naming the key that would include the series.
 */
public record SkippedSeries(String route, String seriesInstanceUid, String seriesNumber, String description, String kind,
                            String reason) {}
