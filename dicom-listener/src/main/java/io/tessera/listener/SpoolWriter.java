package io.tessera.listener;

import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one received instance durable: {@code incoming/<study>/<series>/<sop>.part} written and forced, atomically
 * renamed to {@code <sop>.dcm}, the directory forced, then the index row. Only when this returns may Success be sent.
 */
final class SpoolWriter {
    static final String INCOMING = "incoming";

    private final Path incoming;
    private final StudyIndex index;
    /** Directories known to exist durably, so the common case costs no mkdir or parent fsync. */
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

    SpoolWriter(Path spoolDir, StudyIndex index) throws IOException {
        this.incoming = spoolDir.toAbsolutePath().normalize().resolve(INCOMING);
        this.index = index;
        Files.createDirectories(incoming);
    }

    /**
     * @throws InstanceHeader.UnreadableInstanceException the data set cannot be filed (nothing written)
     * @throws IOException                                 writing or syncing failed (part file removed)
     * @throws StudyIndex.IndexException                   the file is durable but the index refused the row
     */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength) throws IOException {
        InstanceHeader.requireUid("Affected SOP Instance UID", sopInstanceUid);
        InstanceHeader header = InstanceHeader.parse(dataSet, transferSyntaxUid);
        Path dir = incoming.resolve(header.studyUid()).resolve(header.seriesUid());
        ensureDurableDir(dir);
        Path part = dir.resolve(sopInstanceUid + ".part");
        Path dcm = dir.resolve(sopInstanceUid + ".dcm");
        byte[] meta = fileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe);
        try {
            ByteBuffer[] buffers = new ByteBuffer[dataSet.size() + 1];
            buffers[0] = ByteBuffer.wrap(meta);
            for (int i = 0; i < dataSet.size(); i++) {
                buffers[i + 1] = ByteBuffer.wrap(dataSet.get(i));
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long remaining = meta.length + dataLength;
                while (remaining > 0) {
                    remaining -= ch.write(buffers);
                }
                ch.force(true);
            }
            Files.move(part, dcm, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        InstanceRecord record = new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(),
                sopClassUid, header.modality(), callingAe, dcm, meta.length + dataLength, Instant.now());
        index.recordInstance(record);
        return record;
    }

    private void ensureDurableDir(Path dir) throws IOException {
        if (durableDirs.contains(dir)) {
            return;
        }
        Path study = dir.getParent();
        boolean newStudy = !Files.isDirectory(study);
        boolean newSeries = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        // a new directory entry is only durable once its parent is synced
        if (newSeries) {
            forceDirectory(study);
        }
        if (newStudy) {
            forceDirectory(incoming);
        }
        durableDirs.add(dir);
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static byte[] fileMetaInformation(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                                      String callingAe) throws IOException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DicomOutputStream out = new DicomOutputStream(bytes, TransferSyntax.ExplicitVRLittleEndian, null);
            new FileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe).getAttributeList().write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException("TSR-0203: cannot build file meta information: " + e.getMessage(), e);
        }
    }
}
