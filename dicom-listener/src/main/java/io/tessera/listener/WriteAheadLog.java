package io.tessera.listener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32C;

/**
 * The spool's write-ahead log: what makes an instance durable before Success is sent, at one {@code fdatasync} of a
 * pre-allocated segment per acknowledgement instead of three syncs of a new file, its rename and its directory.
 *
 * <p>A ring of {@code segments} files {@code <spool>/wal/segment-<i>.wal}, each written full of zeros once (so that
 * overwriting it changes no file-system metadata and {@code fdatasync} flushes data only). An append writes one record
 * (header, the spool-relative path of the Part 10 file, the Part 10 bytes, CRC32C) and forces the segment; appends
 * racing from several associations share one force (group commit). The Part 10 file is then written without any
 * sync. When a segment is full the writer moves to the next one and a background checkpoint forces every file the
 * full segment covered (and their directories), then marks the segment checkpointed in its header; only a
 * checkpointed segment is reused.
 *
 * <p>An instance can also be streamed while it arrives ({@link #stream}): each data fragment is written as a chunk
 * record (stream id, bytes, CRC32C) as soon as it is read from the socket, and a write-behind thread forces whatever
 * chunks are waiting, so the device is busy while the network still is. At the end a commit record (stream id, path,
 * file meta information, the data's length and CRC32C) is written and forced: that force has only the tail left to
 * flush. Replay materialises a stream only from its commit record and chunks that all check out; chunks without a
 * commit (a sender cut off, a crash mid-instance) are never seen. A stream whose chunks would not all lie in the
 * commit's segment (a segment switch in between, a full segment) falls back to one full record at the end, so a
 * segment's checkpoint never depends on a stream still open.
 *
 * <p>{@link #open} first has {@link WalReplay} replay every segment a crash left unchecked.
 */
final class WriteAheadLog implements AutoCloseable {
    static final String DIR = "wal";
    /** System property: segment size in MiB (default 64). */
    static final String PROP_SEGMENT_MIB = "tessera.wal.segmentMiB";
    /** System property: number of segments in the ring (default 4). */
    static final String PROP_SEGMENTS = "tessera.wal.segments";
    /** System property: {@code true} writes every segment at open (a server's steady state); default: one ahead. */
    static final String PROP_PREALLOCATE_ALL = "tessera.wal.preallocateAll";
    /** System property: {@code false} turns streaming off (every instance one record at the end), to measure it. */
    static final String PROP_STREAM = "tessera.wal.stream";

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
    static final long SEGMENT_MAGIC = 0x5453524157414C31L; // "TSRAWAL1"
    static final int RECORD_MAGIC = 0x54524543;           // "TREC"
    static final int SEGMENT_HEADER = 4096;
    /** magic int, generation long, path length int, data length long, CRC32C int. */
    static final int RECORD_HEADER = 4 + 8 + 4 + 8 + 4;
    static final int CHUNK_MAGIC = 0x54434B31;            // "TCK1"
    /** magic int, generation long, stream id long, length int, CRC32C int. */
    static final int CHUNK_HEADER = 4 + 8 + 8 + 4 + 4;
    static final int COMMIT_MAGIC = 0x54434D31;           // "TCM1"
    /** magic, generation, stream id, path length int, meta length int, data length long, data CRC32C, path+meta CRC32C. */
    static final int COMMIT_HEADER = 4 + 8 + 8 + 4 + 4 + 8 + 4 + 4;
    static final int STATE_ACTIVE = 1;
    static final int STATE_CHECKPOINTED = 2;
    private static final int ZERO_CHUNK = 4 << 20;

    private final Path spoolDir;
    private final long segmentSize;
    private final Segment[] ring;
    private final Object appendLock = new Object();
    private final boolean streaming;
    private final java.util.concurrent.atomic.AtomicLong streamIds = new java.util.concurrent.atomic.AtomicLong();
    /** Wakes the write-behind thread: chunks were written that no force covers yet. */
    private final Object writeBehindLock = new Object();
    private boolean chunksWaiting;
    private Thread writeBehind;
    private long nextGeneration;
    private int currentIndex;
    private boolean closed;
    /** A failed checkpoint or pre-allocation: appends fail (Out of Resources) rather than wait forever. */
    private IOException failure;

    /** One durable record: the caller writes the file it names, then reports {@link #fileWritten} or {@link #fileFailed}. */
    interface Ticket {
        void fileWritten(Path file);

        /** The file was not written and the record was never acknowledged: it may be forgotten. */
        void fileFailed();

        /**
         * The file could not be written but the record was acknowledged: the log stops accepting (appends fail, so
         * senders get Out of Resources) and no segment is checkpointed again, so the next start rewrites the file.
         */
        void fileLost(IOException cause);
    }

    private WriteAheadLog(Path spoolDir, long segmentSize, int segments, boolean streaming) {
        this.spoolDir = spoolDir;
        this.segmentSize = segmentSize;
        this.ring = new Segment[segments];
        this.streaming = streaming;
    }

    /** Opens (creating) the log under {@code <spoolDir>/wal} with the sizes from the system properties. */
    static WriteAheadLog open(Path spoolDir) throws IOException {
        long mib = Long.getLong(PROP_SEGMENT_MIB, 64);
        int segments = Integer.getInteger(PROP_SEGMENTS, 4);
        return open(spoolDir, mib << 20, segments, Boolean.getBoolean(PROP_PREALLOCATE_ALL));
    }

    /** Replays what a crash left, then opens the ring for appending. */
    static WriteAheadLog open(Path spoolDir, long segmentSize, int segments, boolean preallocateAll) throws IOException {
        if (segments < 2 || segmentSize < 1 << 20) {
            throw new IllegalArgumentException("TSR-0240: write-ahead log needs at least 2 segments of 1 MiB");
        }
        WriteAheadLog wal = new WriteAheadLog(spoolDir.toAbsolutePath().normalize(), segmentSize, segments,
                !"false".equals(System.getProperty(PROP_STREAM)));
        Path dir = io.tessera.core.OwnerOnly.createDirectories(wal.spoolDir.resolve(DIR));
        wal.nextGeneration = WalReplay.replay(wal.spoolDir, dir);
        for (int i = 0; i < segments; i++) {
            wal.ring[i] = new Segment(i, dir.resolve("segment-" + i + ".wal"));
        }
        SpoolWriter.forceDirectory(dir);
        wal.prepare(wal.ring[0]);
        if (preallocateAll) {
            for (int i = 1; i < segments; i++) {
                wal.prepare(wal.ring[i]);
            }
        } else {
            wal.prepareInBackground(wal.ring[1]);
        }
        wal.activate(wal.ring[0]);
        if (wal.streaming) {
            wal.writeBehind = new Thread(wal::writeBehindLoop, "tessera-wal-write-behind");
            wal.writeBehind.setDaemon(true);
            wal.writeBehind.start();
        }
        return wal;
    }

    /** An instance whose data fragments are logged as they arrive; see the class comment. Not thread-safe. */
    final class Stream implements InstanceStream {
        private final long id = streamIds.incrementAndGet();
        private final CRC32C crc = new CRC32C();
        private Segment segment;
        private long generation;
        private long bytes;
        /** No more chunks: the commit writes one full record instead. */
        private boolean spilled;

        @Override
        public void fragment(byte[] value) {
            if (!spilled) {
                writeChunk(this, value);
            }
        }
    }

    /** A new stream, or null when streaming is off. */
    Stream stream() {
        return streaming ? new Stream() : null;
    }

    /** Writes one chunk record (no force) or marks the stream spilled; never throws: the commit reports failures. */
    private void writeChunk(Stream s, byte[] value) {
        long t = IngestTiming.start();
        CRC32C c = new CRC32C();
        c.update(value);
        int crc = (int) c.getValue();
        s.crc.update(value);
        s.bytes += value.length;
        synchronized (appendLock) {
            Segment seg = ring[currentIndex];
            long length = CHUNK_HEADER + (long) value.length;
            if (closed || failure != null || seg.writePos + length > segmentSize
                    || s.segment != null && (s.segment != seg || s.generation != seg.generation)) {
                s.spilled = true;
                return;
            }
            ByteBuffer header = ByteBuffer.allocate(CHUNK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(CHUNK_MAGIC).putLong(seg.generation).putLong(s.id).putInt(value.length).putInt(crc).flip();
            try {
                writeAt(seg, new ByteBuffer[] {header, ByteBuffer.wrap(value)}, length);
            } catch (IOException e) {
                // the commit's full record will meet (and report) the same trouble
                s.spilled = true;
                return;
            }
            seg.writePos += length;
            s.segment = seg;
            s.generation = seg.generation;
        }
        synchronized (writeBehindLock) {
            chunksWaiting = true;
            writeBehindLock.notifyAll();
        }
        IngestTiming.add(IngestTiming.Phase.STREAM_WRITE, t);
    }

    /** Forces chunks as they are written, so that a commit's force finds little left to flush. */
    private void writeBehindLoop() {
        while (true) {
            synchronized (writeBehindLock) {
                while (!chunksWaiting) {
                    if (closed) {
                        return;
                    }
                    try {
                        writeBehindLock.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                chunksWaiting = false;
            }
            Segment seg;
            synchronized (appendLock) {
                if (closed) {
                    return;
                }
                seg = ring[currentIndex];
            }
            try {
                seg.forceBehind();
            } catch (IOException e) {
                // not needed for durability (each commit forces); the commit's own force reports a failing disk
                log.debug("write-behind force failed: {}", e.toString());
            }
        }
    }

    /**
     * Ends a stream: writes its commit record and returns once it is forced. Falls back to {@link #append} when the
     * stream's chunks do not cover {@code dataSet} in the current segment (or {@code s} is null).
     */
    Ticket commit(Stream s, String relativePath, byte[] meta, List<byte[]> dataSet, long dataLength) throws IOException {
        if (s == null || s.spilled || s.segment == null || s.bytes != dataLength) {
            return append(relativePath, meta, dataSet, dataLength);
        }
        long t = IngestTiming.start();
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        CRC32C head = new CRC32C();
        head.update(path);
        head.update(meta);
        long length = COMMIT_HEADER + (long) path.length + meta.length;
        Segment seg;
        long end;
        synchronized (appendLock) {
            checkOpen();
            seg = ring[currentIndex];
            if (seg != s.segment || seg.generation != s.generation || seg.writePos + length > segmentSize) {
                seg = null;
                end = 0;
            } else {
                ByteBuffer header = ByteBuffer.allocate(COMMIT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.putInt(COMMIT_MAGIC).putLong(seg.generation).putLong(s.id).putInt(path.length).putInt(meta.length)
                        .putLong(dataLength).putInt((int) s.crc.getValue()).putInt((int) head.getValue()).flip();
                writeAt(seg, new ByteBuffer[] {header, ByteBuffer.wrap(path), ByteBuffer.wrap(meta)}, length);
                seg.pending++;
                end = seg.writePos + length;
                seg.writePos = end;
            }
        }
        if (seg == null) {
            return append(relativePath, meta, dataSet, dataLength);
        }
        IngestTiming.add(IngestTiming.Phase.WAL_WRITE, t);
        return forced(seg, end);
    }

    /** Under appendLock. */
    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("TSR-0241: write-ahead log closed");
        }
        if (failure != null) {
            throw new IOException("TSR-0243: write-ahead log stopped after a failed checkpoint", failure);
        }
    }

    /** Under appendLock: writes the buffers at the segment's write position (which the caller then moves). */
    private static void writeAt(Segment seg, ByteBuffer[] buffers, long length) throws IOException {
        seg.channel.position(seg.writePos);
        // a partly written record is ended by its CRC and overwritten by the next one: writePos moves only after
        for (long remaining = length; remaining > 0; ) {
            remaining -= seg.channel.write(buffers);
        }
    }

    /** True if a record of this many Part 10 bytes fits in one segment (bigger instances bypass the log). */
    boolean fits(String relativePath, long part10Bytes) {
        return recordLength(relativePath.getBytes(StandardCharsets.UTF_8).length, part10Bytes) <= segmentSize - SEGMENT_HEADER;
    }

    /**
     * Appends one record and returns once it is on disk (forced); concurrent appends share a force.
     *
     * @param relativePath the Part 10 file's path relative to the spool
     */
    Ticket append(String relativePath, byte[] meta, List<byte[]> dataSet, long dataLength) throws IOException {
        long t = IngestTiming.start();
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        long length = meta.length + dataLength;
        CRC32C crc = new CRC32C();
        crc.update(path);
        crc.update(meta);
        for (byte[] b : dataSet) {
            crc.update(b);
        }
        long recordLength = recordLength(path.length, length);
        Segment seg;
        long end;
        synchronized (appendLock) {
            checkOpen();
            seg = ring[currentIndex];
            if (seg.writePos + recordLength > segmentSize) {
                seg = switchSegment();
            }
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(RECORD_MAGIC).putLong(seg.generation).putInt(path.length).putLong(length)
                    .putInt((int) crc.getValue()).flip();
            ByteBuffer[] buffers = new ByteBuffer[dataSet.size() + 3];
            buffers[0] = header;
            buffers[1] = ByteBuffer.wrap(path);
            buffers[2] = ByteBuffer.wrap(meta);
            for (int i = 0; i < dataSet.size(); i++) {
                buffers[i + 3] = ByteBuffer.wrap(dataSet.get(i));
            }
            writeAt(seg, buffers, recordLength);
            seg.pending++;
            end = seg.writePos + recordLength;
            seg.writePos = end;
        }
        IngestTiming.add(IngestTiming.Phase.WAL_WRITE, t);
        return forced(seg, end);
    }

    /** Forces the segment up to {@code end} (a record just counted in its pending) and hands out its ticket. */
    private Ticket forced(Segment seg, long end) throws IOException {
        long t = IngestTiming.start();
        try {
            seg.forceTo(end);
            IngestTiming.add(IngestTiming.Phase.WAL_FORCE, t);
        } catch (IOException e) {
            synchronized (appendLock) {
                seg.pending--;
                appendLock.notifyAll();
            }
            throw e;
        }
        Segment s = seg;
        return new Ticket() {
            @Override
            public void fileWritten(Path file) {
                s.files.add(file);
                done();
            }

            @Override
            public void fileFailed() {
                done();
            }

            @Override
            public void fileLost(IOException cause) {
                synchronized (appendLock) {
                    if (failure == null) {
                        failure = cause;
                    }
                }
                done();
            }

            private void done() {
                synchronized (appendLock) {
                    s.pending--;
                    appendLock.notifyAll();
                }
            }
        };
    }

    /** Under appendLock: force the full segment, checkpoint it in the background, continue in the next one. */
    private Segment switchSegment() throws IOException {
        Segment full = ring[currentIndex];
        full.channel.force(false);
        full.synced = full.writePos;
        full.needsCheckpoint = true;
        Thread t = new Thread(() -> checkpoint(full), "tessera-wal-checkpoint-" + full.index);
        t.setDaemon(true);
        t.start();
        currentIndex = (currentIndex + 1) % ring.length;
        Segment next = ring[currentIndex];
        try {
            while (!next.prepared || next.needsCheckpoint) {
                if (failure != null) {
                    throw new IOException("TSR-0243: write-ahead log stopped after a failed checkpoint", failure);
                }
                appendLock.wait(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("TSR-0242: interrupted waiting for a write-ahead log segment", e);
        }
        activate(next);
        prepareInBackground(ring[(currentIndex + 1) % ring.length]);
        return next;
    }

    /** Writes the segment header for a new generation; it becomes durable with the first record's force. */
    private void activate(Segment seg) throws IOException {
        seg.generation = nextGeneration++;
        writeHeader(seg, STATE_ACTIVE);
        seg.writePos = SEGMENT_HEADER;
        seg.synced = SEGMENT_HEADER;
    }

    private void checkpoint(Segment seg) {
        try {
            synchronized (appendLock) {
                while (seg.pending > 0) {
                    appendLock.wait(1000);
                }
                if (failure != null) {
                    // an acknowledged record may lack its file: keep the segment for the next start's replay
                    log.error("TSR-0248: write-ahead log segment {} not checkpointed after a failure; the next start replays it",
                            seg.index);
                    return;
                }
            }
            Set<Path> dirs = new LinkedHashSet<>();
            for (Path f; (f = seg.files.poll()) != null; ) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                    dirs.add(f.getParent());
                } catch (NoSuchFileException gone) {
                    // removed after it was acknowledged (e.g. the study was cleaned up): nothing to make durable
                }
            }
            for (Path d : dirs) {
                try {
                    SpoolWriter.forceDirectory(d);
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
            synchronized (appendLock) {
                writeHeader(seg, STATE_CHECKPOINTED);
                seg.channel.force(false);
                seg.needsCheckpoint = false;
                appendLock.notifyAll();
            }
        } catch (IOException e) {
            log.error("TSR-0243: write-ahead log checkpoint of segment {} failed; the log stops accepting: {}",
                    seg.index, e.toString());
            synchronized (appendLock) {
                failure = e;
                appendLock.notifyAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeHeader(Segment seg, int state) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(SEGMENT_MAGIC).putLong(seg.generation).putInt(state).flip();
        while (h.hasRemaining()) {
            seg.channel.write(h, h.position());
        }
    }

    private void prepareInBackground(Segment seg) {
        if (seg.prepared) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                prepare(seg);
            } catch (IOException e) {
                synchronized (appendLock) {
                    if (closed) {
                        // stopped soon after start: the next start goes on writing the segment where this one stopped
                        log.debug("write-ahead log segment {} pre-allocation stopped by close", seg.index);
                        return;
                    }
                    log.error("TSR-0244: cannot pre-allocate write-ahead log segment {}: {}", seg.index, e.toString());
                    failure = e;
                    appendLock.notifyAll();
                }
            }
        }, "tessera-wal-prepare-" + seg.index);
        t.setDaemon(true);
        t.start();
    }

    /** Writes the segment full of zeros once (overwrites then need no metadata), forces it and its size. */
    private void prepare(Segment seg) throws IOException {
        synchronized (seg) {
            if (seg.prepared) {
                return;
            }
            long size = seg.channel.size();
            if (size < segmentSize) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
                for (long pos = size; pos < segmentSize; ) {
                    zeros.clear().limit((int) Math.min(ZERO_CHUNK, segmentSize - pos));
                    pos += seg.channel.write(zeros, pos);
                }
                seg.channel.force(true);
            }
        }
        synchronized (appendLock) {
            seg.prepared = true;
            appendLock.notifyAll();
        }
    }

    /** Checkpoints the active segment (forces every file it covers) so that nothing is replayed at the next start. */
    @Override
    public void close() throws IOException {
        Segment active;
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
            active = ring[currentIndex];
            synchronized (writeBehindLock) {
                writeBehindLock.notifyAll();
            }
            active.needsCheckpoint = true;
            try {
                while (failure == null && anyCheckpointRunningExcept(active)) {
                    appendLock.wait(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpoint(active);
        for (Segment s : ring) {
            s.channel.close();
        }
    }

    private boolean anyCheckpointRunningExcept(Segment active) {
        for (Segment s : ring) {
            if (s != active && s.needsCheckpoint) {
                return true;
            }
        }
        return false;
    }

    static long recordLength(int pathBytes, long part10Bytes) {
        return RECORD_HEADER + pathBytes + part10Bytes;
    }

    /** One ring file; positions and counters guarded by the log's appendLock, except {@link #forceTo}. */
    private static final class Segment {
        final int index;
        final FileChannel channel;
        final ConcurrentLinkedQueue<Path> files = new ConcurrentLinkedQueue<>();
        final Object syncLock = new Object();
        final Object behindLock = new Object();
        long generation;
        volatile long writePos;
        volatile long synced;
        int pending;
        volatile boolean prepared;
        volatile boolean needsCheckpoint;

        Segment(int index, Path file) throws IOException {
            this.index = index;
            this.channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), io.tessera.core.OwnerOnly.file());
        }

        /** Group commit: one force covers every record written before it started. */
        void forceTo(long end) throws IOException {
            synchronized (syncLock) {
                if (synced >= end) {
                    return;
                }
                long upTo = writePos;
                channel.force(false);
                advanceSynced(upTo);
            }
        }

        /**
         * The write-behind's force, under a lock of its own: a commit never queues behind it (its own force runs
         * alongside, and the kernel waits only for the pages still in flight), which would otherwise add most of a
         * flush to the acknowledgement it is meant to shorten.
         */
        void forceBehind() throws IOException {
            synchronized (behindLock) {
                long upTo = writePos;
                if (synced >= upTo) {
                    return;
                }
                channel.force(false);
                advanceSynced(upTo);
            }
        }

        private synchronized void advanceSynced(long upTo) {
            if (upTo > synced) {
                synced = upTo;
            }
        }
    }
}
