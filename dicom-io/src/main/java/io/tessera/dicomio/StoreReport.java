package io.tessera.dicomio;

import java.nio.file.Path;
import java.util.List;

/** Outcome of one C-STORE association: one entry per file, in the order given. */
public record StoreReport(List<FileStatus> files) {
    public enum Status { SUCCESS, WARNING, FAILED, NOT_SENT }

    /** {@code sopInstanceUid} is empty when the file could not be read; {@code NOT_SENT} when no answer came for it. */
    public record FileStatus(Path file, String sopInstanceUid, Status status) {
        public boolean stored() {
            return status == Status.SUCCESS || status == Status.WARNING;
        }
    }

    public StoreReport {
        files = List.copyOf(files);
    }

    public boolean allStored() {
        return files.stream().allMatch(FileStatus::stored);
    }

    public long storedCount() {
        return files.stream().filter(FileStatus::stored).count();
    }

    public List<FileStatus> failures() {
        return files.stream().filter(f -> !f.stored()).toList();
    }
}
