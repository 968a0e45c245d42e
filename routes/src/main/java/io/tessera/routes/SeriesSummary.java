package io.tessera.routes;

import java.nio.file.Path;
import java.util.List;

/** What routing rules look at for one series of a complete study. */
public record SeriesSummary(
        String studyInstanceUid,
        String seriesInstanceUid,
        String modality,
        String bodyPartExamined,
        String seriesDescription,
        String callingAeTitle,
        List<Path> files) {
    public SeriesSummary {
        files = List.copyOf(files);
    }

    public int instanceCount() {
        return files.size();
    }
}
