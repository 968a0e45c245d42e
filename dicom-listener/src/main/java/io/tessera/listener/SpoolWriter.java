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
 *
 * <p>The index row is written just after Success by a background thread ({@link #indexLater}); the log record is the
 * durable index entry meanwhile, and {@link #awaitIndexed()} lets a released association see its rows.
 */
final class SpoolWriter implements AutoCloseable {
    static final String INCOMING = "incoming";

    private final Path spoolDir;
    private final Path incoming;
    private final StudyIndex index;
    private final WriteAheadLog wal;
    /** Directories known to exist durably, so the common case costs no mkdir or parent fsync. */
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SpoolWriter.class);
    /** Writes index rows after the acknowledgement, in order (see {@link #indexLater}). */
    private final ExecutorService indexer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-indexer");
        t.setDaemon(true);
        return t;
    });
    /** SOP Instance UIDs acknowledged whose index row is still queued: a re-send of one is a duplicate. */
    private final Set<String> beingIndexed = ConcurrentHashMap.newKeySet();
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
     * @throws StudyIndex.IndexException                   the index refused a look-up (duplicate check)
     */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength) throws IOException {
        return store(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe, dataSet, dataLength, null);
    }

    /** @param early the header read while the data set arrived, or null */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength, InstanceHeader early) throws IOException {
        long t = IngestTiming.start();
        InstanceHeader.requireUid("Affected SOP Instance UID", sopInstanceUid);
        InstanceHeader header = InstanceHeader.parse(dataSet, transferSyntaxUid, early);
        t = IngestTiming.add(IngestTiming.Phase.HEADER, t);
        Path dir = incoming.resolve(header.studyUid()).resolve(header.seriesUid());
        ensureDurableDir(dir);
        Path part = dir.resolve(sopInstanceUid + ".part");
        Path dcm = dir.resolve(sopInstanceUid + ".dcm");
        if (beingIndexed.contains(sopInstanceUid) || Files.exists(dcm) && index.hasInstance(sopInstanceUid)) {
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
            t = IngestTiming.start();
            try {
                await(copy);
                Files.move(part, dcm, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                ticket.fileWritten(dcm);
                t = IngestTiming.add(IngestTiming.Phase.FILE, t);
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
            t = IngestTiming.start();
        }
        InstanceRecord record = new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(),
                sopClassUid, header.modality(), callingAe, dcm, meta.length + dataLength, Instant.now());
        indexLater(record);
        IngestTiming.add(IngestTiming.Phase.INDEX, t);
        IngestTiming.instance();
        return record;
    }

    /**
     * The index row is written after Success is sent, in arrival order, by one thread: the instance is already
     * durable (log record and file), and if the process dies first, {@link SpoolRecovery} indexes the file at the next
     * start. An index failure is logged; the same recovery indexes it at the next start.
     */
    private void indexLater(InstanceRecord record) {
        beingIndexed.add(record.sopInstanceUid());
        try {
            indexer.execute(() -> {
                long t = IngestTiming.start();
                try {
                    index.recordInstance(record);
                } catch (RuntimeException e) {
                    log.error("TSR-0292: instance {} is durable but its index row failed (it is indexed at the next start): {}",
                            record.sopInstanceUid(), e.toString());
                } finally {
                    beingIndexed.remove(record.sopInstanceUid());
                    IngestTiming.add(IngestTiming.Phase.INDEX_BACKGROUND, t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            beingIndexed.remove(record.sopInstanceUid());
            index.recordInstance(record);
        }
    }

    /** Returns once every instance stored so far has its index row (or its failure logged). */
    void awaitIndexed() {
        try {
            indexer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            // closing: close() drains the queue itself
        }
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

    /** Writes the index rows still queued, then checkpoints the log: every spooled file durable, nothing to replay. */
    @Override
    public void close() throws IOException {
        indexer.shutdown();
        try {
            if (!indexer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("TSR-0293: index rows still queued after 30 s; they are indexed at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
