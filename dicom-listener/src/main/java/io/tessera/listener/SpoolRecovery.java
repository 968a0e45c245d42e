package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Start-up reconciliation of spool and index. It runs after {@link SpoolWriter}'s construction has replayed the
 * {@link WriteAheadLog} (which rewrites every acknowledged file a crash left incomplete), so every {@code .dcm} file
 * in the spool is whole; if a crash lost its index row (H2 does not sync each commit) it is re-indexed, so no
 * acknowledged instance is dropped. Leftover {@code .part} files were never acknowledged and are deleted.
 */
final class SpoolRecovery {
    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);
    private final Path incoming;
    private final StudyIndex index;

    SpoolRecovery(Path spoolDir, StudyIndex index) {
        this.incoming = spoolDir.toAbsolutePath().normalize().resolve(SpoolWriter.INCOMING);
        this.index = index;
    }

    /** @return the number of instances re-indexed */
    int recover() throws IOException {
        if (!Files.isDirectory(incoming)) {
            return 0;
        }
        int recovered = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(incoming, 3)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".part")) {
                Files.deleteIfExists(f);
            } else if (name.endsWith(".dcm") && !index.hasInstance(name.substring(0, name.length() - 4))) {
                recovered += reindex(f, name.substring(0, name.length() - 4)) ? 1 : 0;
            }
        }
        return recovered;
    }

    /** @param sopInstanceUid from the file name: the Affected SOP Instance UID the instance was acknowledged under */
    private boolean reindex(Path f, String sopInstanceUid) {
        try {
            AttributeList list = new AttributeList();
            list.read(f.toFile(), TagFromName.PixelData);
            String sourceAe = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SourceApplicationEntityTitle).trim();
            return index.recordInstance(new InstanceRecord(
                    sopInstanceUid, s(list, TagFromName.StudyInstanceUID),
                    s(list, TagFromName.SeriesInstanceUID), s(list, TagFromName.MediaStorageSOPClassUID),
                    s(list, TagFromName.Modality), sourceAe, f, Files.size(f),
                    Files.getLastModifiedTime(f).toInstant()));
        } catch (Exception e) {
            log.error("TSR-0271: spooled file {} cannot be re-indexed: {}", incoming.relativize(f), e.toString());
            return false;
        }
    }

    private static String s(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }
}
