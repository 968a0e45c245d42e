package io.tessera.dicomio;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of one C-STORE association: one entry per file, in the order given, each with the DIMSE status the peer
 * answered; {@code associationProblem} says why the association ended before every file was answered (peer abort,
 * timeout, connection closed), null when it ended normally.
 */
public record StoreReport(List<FileStatus> files, String associationProblem) {
    public enum Status { SUCCESS, WARNING, FAILED, NOT_SENT }

    /** No DIMSE status: the file was never answered (NOT_SENT) or could not be read (FAILED). */
    public static final int NO_STATUS = -1;

    /**
     * {@code sopInstanceUid} is empty when the file could not be read; {@code NOT_SENT} when no answer came for it.
     * {@code dimseStatus} is the C-STORE response's Status (0000, B000, A700, …) or {@link #NO_STATUS};
     * {@code errorComment} the response's Error Comment (0000,0902), if the peer gave one.
     */
    public record FileStatus(Path file, String sopInstanceUid, Status status, int dimseStatus, String errorComment) {
        public FileStatus(Path file, String sopInstanceUid, Status status) {
            this(file, sopInstanceUid, status, NO_STATUS, null);
        }

        public boolean stored() {
            return status == Status.SUCCESS || status == Status.WARNING;
        }

        /** The status as the standard writes it ({@code A700}), or empty. */
        public String statusHex() {
            return dimseStatus == NO_STATUS ? "" : String.format("%04X", dimseStatus);
        }

        @Override
        public String toString() {
            return (sopInstanceUid.isEmpty() ? String.valueOf(file.getFileName()) : sopInstanceUid) + " " + status
                    + (dimseStatus == NO_STATUS ? "" : " status " + statusHex())
                    + (errorComment == null || errorComment.isBlank() ? "" : " (" + errorComment.trim() + ")");
        }
    }

    public StoreReport {
        files = List.copyOf(files);
    }

    public StoreReport(List<FileStatus> files) {
        this(files, null);
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
