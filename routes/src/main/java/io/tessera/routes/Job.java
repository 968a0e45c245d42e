package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import java.util.List;

/** One unit of work: a model run on a series of a study version, with where its results go. */
public record Job(String route, SeriesSummary series, int studyVersion, String model, List<DestinationConfig> destinations) {
    public Job {
        destinations = List.copyOf(destinations);
    }
}
