package io.tessera.routes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What routing rules look at for one series of a complete study: the usual fields, and {@code attributes} — every
 * text attribute of its first instance by keyword (see {@code DicomHeaders.readAll}).
 */
public record SeriesSummary(
        String studyInstanceUid,
        String seriesInstanceUid,
        String modality,
        String bodyPartExamined,
        String seriesDescription,
        String callingAeTitle,
        List<Path> files,
        Map<String, String> attributes) {
    public SeriesSummary {
        files = List.copyOf(files);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public SeriesSummary(String studyInstanceUid, String seriesInstanceUid, String modality, String bodyPartExamined,
                         String seriesDescription, String callingAeTitle, List<Path> files) {
        this(studyInstanceUid, seriesInstanceUid, modality, bodyPartExamined, seriesDescription, callingAeTitle, files, Map.of());
    }

    public int instanceCount() {
        return files.size();
    }

    /** Slice thickness in mm, or +infinity when the series does not say. */
    public double sliceThickness() {
        try {
            return Double.parseDouble(attributes.getOrDefault("SliceThickness", "").trim());
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }
}
