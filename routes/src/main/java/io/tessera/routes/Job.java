package io.tessera.routes;

import java.util.List;

/**
 * One unit of work: a model run on a series of a study version, with where its results go; or, with no model
 * ({@link #isForward()}), the series itself sent on as received (plain auto-routing).
 */
public record Job(String route, SeriesSummary series, int studyVersion, String model, List<Destination> destinations) {
    public Job {
        destinations = List.copyOf(destinations);
    }

    public static Job forward(String route, SeriesSummary series, int studyVersion, List<Destination> destinations) {
        return new Job(route, series, studyVersion, null, destinations);
    }

    public boolean isForward() {
        return model == null;
    }
}
