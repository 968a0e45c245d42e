package io.tessera.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of the {@link WriteAheadLog} after a crash: the records of every segment not marked checkpointed are
 * replayed, oldest generation first. A spooled file whose bytes differ from its record (lost page cache, torn write,
 * missing) is rewritten durably; a torn or stale record (bad magic, generation or CRC) ends a segment's scan: it was
 * never acknowledged. A streamed instance is restored from its commit record and its chunks; chunks without a commit
 * (the instance was still arriving) are left alone.
 */
final class WalReplay {
    private static final Logger log = LoggerFactory.getLogger(WalReplay.class);

    private record Found(long generation, Path file) {}

    /**
     * Replays every segment of {@code dir} not marked checkpointed, oldest generation first, then marks them
     * checkpointed; returns the generation the log continues with.
     */
    static long replay(Path spoolDir, Path dir) throws IOException {
        List<Found> active = new ArrayList<>();
        long maxGeneration = -1;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".wal")).toList()) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, h, 0);
                    h.flip();
                    if (h.remaining() < 20 || h.getLong() != WriteAheadLog.SEGMENT_MAGIC) {
                        continue;
                    }
                    long generation = h.getLong();
                    maxGeneration = Math.max(maxGeneration, generation);
                    if (h.getInt() == WriteAheadLog.STATE_ACTIVE) {
                        active.add(new Found(generation, f));
                    }
                }
            }
        }
        active.sort(Comparator.comparingLong(Found::generation));
        int replayed = 0;
        for (Found found : active) {
            replayed += replaySegment(spoolDir, found);
        }
        for (Found found : active) {
            try (FileChannel ch = FileChannel.open(found.file(), StandardOpenOption.WRITE)) {
                ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
                h.putLong(WriteAheadLog.SEGMENT_MAGIC).putLong(found.generation()).putInt(WriteAheadLog.STATE_CHECKPOINTED).flip();
                ch.write(h, 0);
                ch.force(false);
            }
        }
        if (replayed > 0) {
            log.info("TSR-0245: write-ahead log replayed {} instance(s) whose spooled file was not yet durable", replayed);
        }
        return maxGeneration + 1;
    }

    /** Where one chunk's bytes lie in its segment. */
    private record Chunk(long position, int length) {}

    /** @return how many spooled files had to be rewritten */
    private static int replaySegment(Path spoolDir, Found found) throws IOException {
        int rewritten = 0;
        // chunks of streams not yet committed, by stream id, in order; never materialised without their commit
        Map<Long, List<Chunk>> open = new HashMap<>();
        try (FileChannel ch = FileChannel.open(found.file(), StandardOpenOption.READ)) {
            long pos = WriteAheadLog.SEGMENT_HEADER;
            long size = ch.size();
            while (pos + 12 <= size) {
                ByteBuffer h = read(ch, pos, 12);
                int magic = h.getInt();
                if (h.getLong() != found.generation()) {
                    break;
                }
                if (magic == WriteAheadLog.CHUNK_MAGIC) {
                    if (pos + WriteAheadLog.CHUNK_HEADER > size) {
                        break;
                    }
                    ByteBuffer c = read(ch, pos + 12, WriteAheadLog.CHUNK_HEADER - 12);
                    long stream = c.getLong();
                    int length = c.getInt();
                    int crc = c.getInt();
                    long data = pos + WriteAheadLog.CHUNK_HEADER;
                    if (length < 0 || data + length > size || crc(read(ch, data, length)) != crc) {
                        break; // torn: written after the last force
                    }
                    open.computeIfAbsent(stream, k -> new ArrayList<>()).add(new Chunk(data, length));
                    pos = data + length;
                } else if (magic == WriteAheadLog.COMMIT_MAGIC) {
                    if (pos + WriteAheadLog.COMMIT_HEADER > size) {
                        break;
                    }
                    ByteBuffer c = read(ch, pos + 12, WriteAheadLog.COMMIT_HEADER - 12);
                    long stream = c.getLong();
                    int pathLength = c.getInt();
                    int metaLength = c.getInt();
                    long dataLength = c.getLong();
                    int dataCrc = c.getInt();
                    int headCrc = c.getInt();
                    long body = pos + WriteAheadLog.COMMIT_HEADER;
                    if (pathLength <= 0 || pathLength > 4096 || metaLength < 0 || metaLength > 1 << 20 || dataLength <= 0
                            || body + pathLength + metaLength > size) {
                        break;
                    }
                    byte[] path = bytes(read(ch, body, pathLength));
                    byte[] meta = bytes(read(ch, body + pathLength, metaLength));
                    CRC32C head = new CRC32C();
                    head.update(path);
                    head.update(meta);
                    if ((int) head.getValue() != headCrc) {
                        break; // torn
                    }
                    pos = body + pathLength + metaLength;
                    byte[] content = assemble(ch, open.remove(stream), meta, dataLength, dataCrc);
                    if (content == null) {
                        // cannot happen short of a bug or a damaged disk: every chunk was written before its commit
                        log.error("TSR-0249: write-ahead log commit record without its complete data; instance skipped");
                    } else if (restore(spoolDir, path, content)) {
                        rewritten++;
                    }
                } else if (magic == WriteAheadLog.RECORD_MAGIC) {
                    if (pos + WriteAheadLog.RECORD_HEADER > size) {
                        break;
                    }
                    ByteBuffer r = read(ch, pos + 12, WriteAheadLog.RECORD_HEADER - 12);
                    int pathLength = r.getInt();
                    long length = r.getLong();
                    int crc = r.getInt();
                    if (pathLength <= 0 || pathLength > 4096 || length <= 0
                            || pos + WriteAheadLog.recordLength(pathLength, length) > size || length > Integer.MAX_VALUE) {
                        break;
                    }
                    byte[] path = bytes(read(ch, pos + WriteAheadLog.RECORD_HEADER, pathLength));
                    byte[] data = bytes(read(ch, pos + WriteAheadLog.RECORD_HEADER + pathLength, (int) length));
                    CRC32C c = new CRC32C();
                    c.update(path);
                    c.update(data);
                    if ((int) c.getValue() != crc) {
                        break; // torn: never acknowledged
                    }
                    if (restore(spoolDir, path, data)) {
                        rewritten++;
                    }
                    pos += WriteAheadLog.recordLength(pathLength, length);
                } else {
                    break;
                }
            }
        }
        if (!open.isEmpty()) {
            log.info("TSR-0267: write-ahead log held {} instance(s) cut off before their end; never acknowledged, not restored",
                    open.size());
        }
        return rewritten;
    }

    /** The file meta information followed by the stream's chunks, or null if they do not add up to what was committed. */
    private static byte[] assemble(FileChannel ch, List<Chunk> chunks, byte[] meta, long dataLength, int dataCrc)
            throws IOException {
        if (chunks == null || meta.length + dataLength > Integer.MAX_VALUE) {
            return null;
        }
        long total = 0;
        for (Chunk c : chunks) {
            total += c.length();
        }
        if (total != dataLength) {
            return null;
        }
        byte[] content = new byte[(int) (meta.length + dataLength)];
        System.arraycopy(meta, 0, content, 0, meta.length);
        int at = meta.length;
        for (Chunk c : chunks) {
            ByteBuffer b = ByteBuffer.wrap(content, at, c.length());
            readFully(ch, b, c.position());
            at += c.length();
        }
        CRC32C crc = new CRC32C();
        crc.update(content, meta.length, (int) dataLength);
        return (int) crc.getValue() == dataCrc ? content : null;
    }

    /** @return true if the file had to be rewritten */
    private static boolean restore(Path spoolDir, byte[] path, byte[] content) throws IOException {
        String relative = new String(path, StandardCharsets.UTF_8);
        Path target = spoolDir.resolve(relative).normalize();
        if (!target.startsWith(spoolDir.resolve(SpoolWriter.INCOMING)) || !relative.endsWith(".dcm")) {
            log.error("TSR-0246: write-ahead log record names a path outside the spool; skipped");
            return false;
        }
        return materialise(target, content);
    }

    /** Makes the spooled file hold exactly the logged bytes, durably; @return true if it had to be rewritten. */
    private static boolean materialise(Path target, byte[] data) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == data.length
                && java.util.Arrays.equals(Files.readAllBytes(target), data)) {
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            SpoolWriter.forceDirectory(target.getParent());
            return false;
        }
        Path dir = target.getParent();
        io.tessera.core.OwnerOnly.createDirectories(dir);
        Path part = dir.resolve(target.getFileName() + ".part");
        try (FileChannel ch = FileChannel.open(part, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), io.tessera.core.OwnerOnly.file())) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SpoolWriter.forceDirectory(dir);
        SpoolWriter.forceDirectory(dir.getParent());
        SpoolWriter.forceDirectory(dir.getParent().getParent());
        return true;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, pos);
        return b.flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static int crc(ByteBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                return;
            }
            pos += n;
        }
    }

    private WalReplay() {}
}
