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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one received instance durable before Success may be sent, then files it as
 * {@code incoming/<study>/<series>/<sop>.dcm} and indexes it.
 *
 * <p>Durability comes from the {@link WriteAheadLog}: the instance's Part 10 bytes are appended to a pre-allocated
 * segment and forced (one {@code fdatasync}, shared by concurrent associations), then the {@code .dcm} file is written
 * without a sync; the log's checkpoint makes the files durable before a segment is reused, and its replay at start
 * rewrites any file a crash left incomplete. An instance too big for a segment takes the direct path: {@code .part}
 * written and forced, atomically renamed to {@code .dcm}, the directory forced.
 */
final class SpoolWriter implements AutoCloseable {
    static final String INCOMING = "incoming";

    private final Path spoolDir;
    private final Path incoming;
    private final StudyIndex index;
    private final WriteAheadLog wal;
    /** Directories known to exist durably, so the common case costs no mkdir or parent fsync. */
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
    /** Writes Part 10 copies while the association thread forces the log record (two disk operations overlap). */
    private final ExecutorService fileWriter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "spool-file-writer");
        t.setDaemon(true);
        return t;
    });

    /** Replays the write-ahead log (see {@link WriteAheadLog#open(Path)}) before anything is accepted. */
    SpoolWriter(Path spoolDir, StudyIndex index) throws IOException {
        this(spoolDir, index, null);
    }

    /** @param wal an open log, or null to open one under {@code spoolDir} with the default sizes */
    SpoolWriter(Path spoolDir, StudyIndex index, WriteAheadLog wal) throws IOException {
        this.spoolDir = spoolDir.toAbsolutePath().normalize();
        this.incoming = this.spoolDir.resolve(INCOMING);
        this.index = index;
        Files.createDirectories(incoming);
        forceDirectory(this.spoolDir);
        this.wal = wal != null ? wal : WriteAheadLog.open(this.spoolDir);
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
        if (Files.exists(dcm) && index.hasInstance(sopInstanceUid)) {
            // A re-sent instance: its UID names the same object, already durable and indexed. Rewriting the file in place
            // could show a half-written file to a study being processed, so the copy we hold stands.
            return new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(), sopClassUid, header.modality(),
                    callingAe, dcm, Files.size(dcm), Instant.now());
        }
        byte[] meta = fileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe);
        String relative = spoolDir.relativize(dcm).toString();
        if (wal.fits(relative, meta.length + dataLength)) {
            // The Part 10 copy is written (unsynced) to a part file while the log record is forced, and renamed only once
            // the record is durable: a crash in between leaves a part file (removed at start), never an unlogged .dcm.
            Future<?> copy = fileWriter.submit(() -> {
                writeUnsynced(part, meta, dataSet, dataLength);
                return null;
            });
            WriteAheadLog.Ticket ticket;
            try {
                ticket = wal.append(relative, meta, dataSet, dataLength);
            } catch (IOException | RuntimeException e) {
                awaitQuietly(copy);
                Files.deleteIfExists(part);
                throw e;
            }
            try {
                await(copy);
                Files.move(part, dcm, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                ticket.fileWritten(dcm);
            } catch (IOException | RuntimeException e) {
                ticket.fileFailed();
                try {
                    Files.deleteIfExists(part);
                    Files.deleteIfExists(dcm);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } else {
            writeDirect(dir, part, dcm, meta, dataSet, dataLength);
        }
        InstanceRecord record = new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(),
                sopClassUid, header.modality(), callingAe, dcm, meta.length + dataLength, Instant.now());
        index.recordInstance(record);
        return record;
    }

    /** The log holds the bytes durably; the file is made durable by the log's checkpoint. */
    private static void writeUnsynced(Path dcm, byte[] meta, List<byte[]> dataSet, long dataLength) throws IOException {
        try (FileChannel ch = FileChannel.open(dcm, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, meta, dataSet, dataLength);
        }
    }

    private static void writeAll(FileChannel ch, byte[] meta, List<byte[]> dataSet, long dataLength) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[dataSet.size() + 1];
        buffers[0] = ByteBuffer.wrap(meta);
        for (int i = 0; i < dataSet.size(); i++) {
            buffers[i + 1] = ByteBuffer.wrap(dataSet.get(i));
        }
        long remaining = meta.length + dataLength;
        while (remaining > 0) {
            remaining -= ch.write(buffers);
        }
    }

    /** Without the log: part file forced, renamed, directory forced. */
    private static void writeDirect(Path dir, Path part, Path dcm, byte[] meta, List<byte[]> dataSet, long dataLength)
            throws IOException {
        try {
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(ch, meta, dataSet, dataLength);
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
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("TSR-0247: interrupted while writing a spool file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException("TSR-0247: spool file write failed", e.getCause());
        }
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            await(f);
        } catch (IOException | RuntimeException ignored) {
            // the append failed already; that failure is the one reported
        }
    }

    /** Checkpoints the log: every spooled file durable, nothing left to replay. */
    @Override
    public void close() throws IOException {
        try {
            wal.close();
        } finally {
            fileWriter.shutdown();
        }
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
