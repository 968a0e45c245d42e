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
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of the {@link WriteAheadLog} after a crash: the records of every segment not marked checkpointed are
 * replayed, oldest generation first. A spooled file whose bytes differ from its record (lost page cache, torn write,
 * missing) is rewritten durably; a torn or stale record (bad magic, generation or CRC) ends a segment's scan: it was
 * never acknowledged.
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

    /** @return how many spooled files had to be rewritten */
    private static int replaySegment(Path spoolDir, Found found) throws IOException {
        int rewritten = 0;
        try (FileChannel ch = FileChannel.open(found.file(), StandardOpenOption.READ)) {
            long pos = WriteAheadLog.SEGMENT_HEADER;
            long size = ch.size();
            while (pos + WriteAheadLog.RECORD_HEADER <= size) {
                ByteBuffer h = ByteBuffer.allocate(WriteAheadLog.RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, h, pos);
                h.flip();
                if (h.getInt() != WriteAheadLog.RECORD_MAGIC || h.getLong() != found.generation()) {
                    break;
                }
                int pathLength = h.getInt();
                long length = h.getLong();
                int crc = h.getInt();
                if (pathLength <= 0 || pathLength > 4096 || length <= 0
                        || pos + WriteAheadLog.recordLength(pathLength, length) > size || length > Integer.MAX_VALUE) {
                    break;
                }
                ByteBuffer path = ByteBuffer.allocate(pathLength);
                readFully(ch, path, pos + WriteAheadLog.RECORD_HEADER);
                ByteBuffer data = ByteBuffer.allocate((int) length);
                readFully(ch, data, pos + WriteAheadLog.RECORD_HEADER + pathLength);
                CRC32C c = new CRC32C();
                c.update(path.array());
                c.update(data.array());
                if ((int) c.getValue() != crc) {
                    break; // torn: never acknowledged
                }
                String relative = new String(path.array(), StandardCharsets.UTF_8);
                Path target = spoolDir.resolve(relative).normalize();
                if (!target.startsWith(spoolDir.resolve(SpoolWriter.INCOMING)) || !relative.endsWith(".dcm")) {
                    log.error("TSR-0246: write-ahead log record names a path outside the spool; skipped");
                } else if (materialise(target, path.array(), data.array(), crc)) {
                    rewritten++;
                }
                pos += WriteAheadLog.recordLength(pathLength, length);
            }
        }
        return rewritten;
    }

    /** Makes the spooled file hold exactly the logged bytes, durably; @return true if it had to be rewritten. */
    private static boolean materialise(Path target, byte[] path, byte[] data, int crc) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == data.length) {
            CRC32C c = new CRC32C();
            c.update(path);
            c.update(Files.readAllBytes(target));
            if ((int) c.getValue() == crc) {
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                SpoolWriter.forceDirectory(target.getParent());
                return false;
            }
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
