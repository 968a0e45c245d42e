package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.dicomio.DicomNetworkException;
import io.tessera.dicomio.StoreReport;
import io.tessera.dicomio.StoreScu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends result files to a destination: C-STORE to a DICOM node, or a copy into a folder
 * ({@code <path>/<StudyInstanceUID>/<SOPInstanceUID>.dcm}, written to a temporary name and moved, so a reader never
 * sees half a file). Throws with a reason an operator can act on when the destination does not take them.
 */
public final class Deliverer {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private final String callingAeTitle;
    private final StoreScu scu = new StoreScu();

    public Deliverer(String callingAeTitle) {
        this.callingAeTitle = callingAeTitle;
    }

    public void deliver(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        switch (dest.type()) {
            case "dicom" -> store(dest, List.of(file));
            case "folder" -> copy(dest, studyUid, sopInstanceUid, file);
            default -> throw new DeliveryException("TSR-0700: destination '" + dest.name() + "' has unsupported type " + dest.type());
        }
        log.info("delivered {} to destination '{}'", file.getFileName(), dest.name());
    }

    private void store(DestinationConfig dest, List<Path> files) throws DeliveryException {
        try {
            StoreReport report = scu.send(dest.host(), dest.port(), callingAeTitle, dest.aeTitle(), files);
            if (!report.allStored()) {
                throw new DeliveryException("TSR-0701: destination '" + dest.name() + "' (" + dest.aeTitle() + "@" + dest.host() + ":"
                        + dest.port() + ") did not store " + report.failures().size() + " of " + files.size() + " object(s): "
                        + report.failures());
            }
        } catch (DicomNetworkException e) {
            throw new DeliveryException("TSR-0702: cannot reach destination '" + dest.name() + "' (" + dest.aeTitle() + "@"
                    + dest.host() + ":" + dest.port() + "): " + e.getMessage(), e);
        }
    }

    private static void copy(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        try {
            Path dir = Path.of(dest.path()).resolve(studyUid);
            Files.createDirectories(dir);
            Path target = dir.resolve(sopInstanceUid + ".dcm");
            Path tmp = dir.resolve(sopInstanceUid + ".dcm.part");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeliveryException("TSR-0703: cannot write to folder destination '" + dest.name() + "' (" + dest.path() + "): " + e, e);
        }
    }

    /** A destination did not take a result. */
    public static final class DeliveryException extends Exception {
        public DeliveryException(String message) {
            super(message);
        }

        public DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
