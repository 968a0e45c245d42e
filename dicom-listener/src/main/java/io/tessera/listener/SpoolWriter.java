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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one received instance durable before Success may be sent, then files it as
 * {@code incoming/<study>/<series>/<sop>.dcm} and indexes it.
 *
 * <p>Durability comes from the {@link WriteAheadLog}: the instance's Part 10 bytes are appended to a pre-allocated
 * segment and forced (one {@code fdatasync}, shared by concurrent associations); that is all Success waits for. The
 * data set normally streams into the log while it arrives ({@link #openStream}), so that force has only the tail left. The
 * {@code .dcm} file (written without a sync, then renamed) and the index row follow on one background thread, in
 * arrival order ({@link #fileLater}); the log's checkpoint makes the files durable before a segment is reused, its
 * replay at start rewrites any file a crash left missing or incomplete, and {@link SpoolRecovery} indexes any file
 * without a row. {@link #awaitIndexed()} lets a released association see its files and rows. An instance too big for
 * a segment takes the direct path: {@code .part} written and forced, atomically renamed, the directory forced.
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
    /** Writes Part 10 files and index rows after the acknowledgement, in order (see {@link #fileLater}). */
    private final ExecutorService filer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-filer");
        t.setDaemon(true);
        return t;
    });
    /**
     * Bytes held for the filer (256 MiB; {@link #inFlight} counts them in KiB permits): beyond it, acknowledging waits
     * for the filer (back-pressure).
     */
    private static final long MAX_BYTES_IN_FLIGHT = 256L << 20;
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore((int) (MAX_BYTES_IN_FLIGHT >> 10));
    /** SOP Instance UIDs acknowledged whose index row is still queued: a re-send of one is a duplicate. */
    private final Set<String> beingIndexed = ConcurrentHashMap.newKeySet();
    /** Replays the write-ahead log (see {@link WriteAheadLog#open(Path)}) before anything is accepted. */
    SpoolWriter(Path spoolDir, StudyIndex index) throws IOException {
        this(spoolDir, index, null);
    }

    /** @param wal an open log, or null to open one under {@code spoolDir} with the default sizes */
    SpoolWriter(Path spoolDir, StudyIndex index, WriteAheadLog wal) throws IOException {
        this.spoolDir = spoolDir.toAbsolutePath().normalize();
        this.incoming = this.spoolDir.resolve(INCOMING);
        this.index = index;
        io.tessera.core.OwnerOnly.createDirectories(incoming);
        forceDirectory(this.spoolDir);
        this.wal = wal != null ? wal : WriteAheadLog.open(this.spoolDir);
    }

    /**
     * @throws InstanceHeader.UnreadableInstanceException the data set cannot be filed (nothing written)
     * @throws IOException                                 writing or syncing failed (part file removed)
     * @throws StudyIndex.IndexException                   the index refused a look-up (duplicate check)
     * @throws StudyIndex.IndexUnavailableException        a cluster node's shared index does not answer (nothing written)
     */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength) throws IOException {
        return store(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe, dataSet, dataLength, null);
    }

    /** @param early the header read while the data set arrived, or null */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength, InstanceHeader early) throws IOException {
        return store(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe, dataSet, dataLength, early, null);
    }

    /** A stream for an instance about to arrive (see {@link WriteAheadLog#stream}), or null when streaming is off. */
    InstanceStream openStream() {
        return wal.stream();
    }

    /**
     * @param early  the header read while the data set arrived, or null
     * @param stream the stream {@code dataSet} was written to as it arrived ({@link #openStream}), or null
     */
    InstanceRecord store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         List<byte[]> dataSet, long dataLength, InstanceHeader early, InstanceStream stream)
            throws IOException {
        long t = IngestTiming.start();
        InstanceHeader.requireUid("Affected SOP Instance UID", sopInstanceUid);
        InstanceHeader header = InstanceHeader.parse(dataSet, transferSyntaxUid, early);
        t = IngestTiming.add(IngestTiming.Phase.HEADER, t);
        // a cluster node: never Success while the shared index is away (the sender retries on Out of Resources)
        if (index.sharedAcrossNodes()) index.requireReachable();
        Path dir = incoming.resolve(header.studyUid()).resolve(header.seriesUid());
        ensureDurableDir(dir);
        Path part = dir.resolve(sopInstanceUid + ".part");
        Path dcm = dir.resolve(sopInstanceUid + ".dcm");
        if (beingIndexed.contains(sopInstanceUid) || Files.exists(dcm) && index.hasInstance(sopInstanceUid)) {
            // A re-sent instance: its UID names the same object, already durable and indexed. Rewriting the file in place
            // could show a half-written file to a study being processed, so the copy we hold stands.
            return new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(), sopClassUid, header.modality(),
                    callingAe, dcm, Files.isRegularFile(dcm) ? Files.size(dcm) : dataLength, Instant.now());
        }
        byte[] meta = fileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe);
        String relative = spoolDir.relativize(dcm).toString();
        InstanceRecord record = new InstanceRecord(sopInstanceUid, header.studyUid(), header.seriesUid(),
                sopClassUid, header.modality(), callingAe, dcm, meta.length + dataLength, Instant.now());
        if (wal.fits(relative, meta.length + dataLength)) {
            // The filer writes the Part 10 copy while this thread forces the log record (the CPU is idle in the force);
            // it renames the copy and indexes it only once the record is durable. Success waits for the force alone.
            java.util.concurrent.CompletableFuture<WriteAheadLog.Ticket> durable = new java.util.concurrent.CompletableFuture<>();
            Runnable inline = fileLater(durable, part, dcm, meta, dataSet, dataLength, record);
            try {
                durable.complete(stream instanceof WriteAheadLog.Stream streamed
                        ? wal.commit(streamed, relative, meta, dataSet, dataLength)
                        : wal.append(relative, meta, dataSet, dataLength));
            } catch (IOException | RuntimeException e) {
                durable.completeExceptionally(e);
                throw e;
            } finally {
                if (inline != null) {
                    inline.run();
                }
            }
            t = IngestTiming.start();
        } else {
            writeDirect(dir, part, dcm, meta, dataSet, dataLength);
            t = IngestTiming.start();
            indexLater(record);
        }
        IngestTiming.add(IngestTiming.Phase.FILE, t);
        IngestTiming.instance();
        return record;
    }

    /**
     * Queues the Part 10 file for the filer thread: it writes the copy at once (no sync; the log's checkpoint makes it
     * durable), waits until {@code durable} says the log record is forced, then renames the copy and writes the index
     * row — in arrival order, with at most {@link #MAX_BYTES_IN_FLIGHT} held. If the record could not be forced the
     * copy is deleted (never acknowledged). A file that cannot be written after the record was forced stops the log
     * ({@link WriteAheadLog.Ticket#fileLost}): later instances get Out of Resources and the next start rewrites it.
     *
     * @return the task, to be run by the caller once {@code durable} is completed, if the filer is shut down; else null
     */
    private Runnable fileLater(java.util.concurrent.CompletableFuture<WriteAheadLog.Ticket> durable, Path part, Path dcm,
                               byte[] meta, List<byte[]> dataSet, long dataLength, InstanceRecord record) throws IOException {
        int kib = (int) Math.min(MAX_BYTES_IN_FLIGHT >> 10, (meta.length + dataLength + 1023) >> 10);
        try {
            inFlight.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("TSR-0247: interrupted before the instance was written");
        }
        beingIndexed.add(record.sopInstanceUid());
        Runnable task = () -> {
            long t = IngestTiming.start();
            Exception failed = null;
            try {
                writeUnsynced(part, meta, dataSet, dataLength);
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            WriteAheadLog.Ticket ticket;
            try {
                ticket = durable.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException notDurable) {
                deleteQuietly(part); // never acknowledged
                beingIndexed.remove(record.sopInstanceUid());
                inFlight.release(kib);
                return;
            }
            if (failed == null) {
                try {
                    Files.move(part, dcm, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    ticket.fileWritten(dcm);
                } catch (IOException | RuntimeException e) {
                    failed = e;
                }
            }
            inFlight.release(kib);
            if (failed != null) {
                log.error("TSR-0294: instance {} is in the write-ahead log but its spool file could not be written; "
                        + "the listener refuses instances until restarted, which rewrites it: {}", record.sopInstanceUid(), failed.toString());
                deleteQuietly(part);
                ticket.fileLost(failed instanceof IOException io ? io : new IOException(failed));
                beingIndexed.remove(record.sopInstanceUid());
                return;
            }
            IngestTiming.add(IngestTiming.Phase.FILE_BACKGROUND, t);
            index(record);
        };
        try {
            filer.execute(task);
            return null;
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return task;
        }
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // a leftover part file is removed at the next start
        }
    }

    /**
     * The index row is written after Success is sent, in arrival order, by one thread: the instance is already
     * durable (log record and file), and if the process dies first, {@link SpoolRecovery} indexes the file at the next
     * start. An index failure is logged; the same recovery indexes it at the next start.
     */
    private void indexLater(InstanceRecord record) {
        beingIndexed.add(record.sopInstanceUid());
        try {
            filer.execute(() -> index(record));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            index(record);
        }
    }

    private void index(InstanceRecord record) {
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
    }

    /** Returns once every instance stored so far has its index row (or its failure logged). */
    void awaitIndexed() {
        try {
            filer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            // closing: close() drains the queue itself
        }
    }

    /** The log holds the bytes durably; the file is made durable by the log's checkpoint. */
    private static void writeUnsynced(Path dcm, byte[] meta, List<byte[]> dataSet, long dataLength) throws IOException {
        try (FileChannel ch = FileChannel.open(dcm, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), io.tessera.core.OwnerOnly.file())) {
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
            try (FileChannel ch = FileChannel.open(part, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), io.tessera.core.OwnerOnly.file())) {
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

    /** Writes the index rows still queued, then checkpoints the log: every spooled file durable, nothing to replay. */
    @Override
    public void close() throws IOException {
        filer.shutdown();
        try {
            if (!filer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("TSR-0293: spool files or index rows still queued after 30 s; the next start replays them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            wal.close();
        } finally {
            filer.shutdownNow();
        }
    }

    private void ensureDurableDir(Path dir) throws IOException {
        if (durableDirs.contains(dir)) {
            return;
        }
        Path study = dir.getParent();
        boolean newStudy = !Files.isDirectory(study);
        boolean newSeries = !Files.isDirectory(dir);
        io.tessera.core.OwnerOnly.createDirectories(dir);
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
            throw new IOException("TSR-0263: cannot build file meta information: " + e.getMessage(), e);
        }
    }
}
