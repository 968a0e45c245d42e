package io.tessera.routes;

import java.util.List;

/**
 * One unit of work: a model run on a series of a study version, with where its results go; or, with no model
 * ({@link #isForward()}), the series itself sent on as received (plain auto-routing). {@code channels}: for a model
 * of several input series, the study's other series it takes, in the manifest's channel order after {@code series}.
 */
public record Job(String route, SeriesSummary series, int studyVersion, String model, List<Destination> destinations,
                  List<SeriesSummary> channels) {
    public Job {
        destinations = List.copyOf(destinations);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    public Job(String route, SeriesSummary series, int studyVersion, String model, List<Destination> destinations) {
        this(route, series, studyVersion, model, destinations, List.of());
    }

    public static Job forward(String route, SeriesSummary series, int studyVersion, List<Destination> destinations) {
        return new Job(route, series, studyVersion, null, destinations);
    }

    public boolean isForward() {
        return model == null;
    }
}
