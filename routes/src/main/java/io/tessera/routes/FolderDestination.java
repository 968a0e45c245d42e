package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A folder ({@code type: folder}): each DICOM result is copied to {@code <path>/<StudyInstanceUID>/<SOPInstanceUID>.dcm},
 * written to a temporary name and moved, so a reader never sees half a file. Nothing to probe: the next copy is.
 */
record FolderDestination(DestinationConfig config) implements Destination {
    @Override
    public boolean takesImages() {
        return true;
    }

    @Override
    public String auditTarget() {
        return String.valueOf(config.path());
    }

    @Override
    public void send(Transport via, String studyUid, String sopInstanceUid, Path file) throws Deliverer.DeliveryException {
        try {
            Path dir = Path.of(config.path()).resolve(studyUid);
            Files.createDirectories(dir);
            Path target = dir.resolve(sopInstanceUid + ".dcm");
            Path tmp = dir.resolve(sopInstanceUid + ".dcm.part");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Deliverer.DeliveryException("TSR-0703: cannot write to folder destination '" + config.name() + "' ("
                    + config.path() + "): " + e, e);
        }
    }
}
