package io.tessera.listener;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One received, durable instance. {@code path} is absolute when read from {@link StudyIndex#instances(String)};
 * when recorded it may be absolute (under the spool) or relative to the spool.
 */
public record InstanceRecord(String sopInstanceUid, String studyUid, String seriesUid, String sopClassUid,
                             String modality, String callingAe, Path path, long sizeBytes, Instant received) {
    public InstanceRecord {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(studyUid, "studyUid");
        Objects.requireNonNull(seriesUid, "seriesUid");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(received, "received");
    }
}
