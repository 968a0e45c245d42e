package io.tessera.dicomio;

import io.tessera.core.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * The values of a series of uncompressed little-endian 16-bit slices, left in their files until read: a slice's
 * stored values are read into a pooled direct buffer when it is opened and turned into Hounsfield units one value at a
 * time through its rescale table ({@link PixelCopier.Rescale}), so a model that samples a fraction of the voxels never
 * pays for the full-resolution float volume. The files were checked when the series was read (the pixel data's place
 * in each is known); one that changed since fails the read with the file's name.
 */
final class FileSliceSource implements Volume.Source {
    /** Direct buffers of one slice's size, shared between sources: a job opens a few at a time, the next job reuses them. */
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final int POOL_MAX = 8;

    private final List<SliceHeader> slices;
    private final long[] pixelOffsets;
    private final int bytes;

    /** {@code pixelOffsets[k]}: where slice k's Pixel Data value starts in its file ({@link RawPixelReader#pixelOffset}). */
    FileSliceSource(List<SliceHeader> slices, long[] pixelOffsets) {
        this.slices = List.copyOf(slices);
        this.pixelOffsets = pixelOffsets.clone();
        this.bytes = 2 * slices.get(0).rows() * slices.get(0).columns();
    }

    @Override
    public Volume.Slice slice(int k) {
        SliceHeader s = slices.get(k);
        float[] table = PixelCopier.Rescale.of(s.bitsStored(), s.signed(), s.slope(), s.intercept()).table();
        if (MAP) {
            try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
                if (ch.size() < pixelOffsets[k] + bytes) throw new IOException("it is shorter than when the series was read");
                java.nio.MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, pixelOffsets[k], bytes);
                m.order(ByteOrder.LITTLE_ENDIAN);
                return new Stored(m, table, true);
            } catch (IOException e) {
                throw new UncheckedIOException("TSR-0205: cannot read the pixel data of " + s.file().getFileName() + ": "
                        + e.getMessage(), e);
            }
        }
        ByteBuffer buf = take();
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            if (ch.size() != pixelOffsets[k] + bytes) throw new IOException("its size changed since the series was read");
            RawPixelReader.readFully(ch, buf, pixelOffsets[k]);
        } catch (IOException e) {
            give(buf);
            throw new UncheckedIOException("TSR-0205: cannot read the pixel data of " + s.file().getFileName() + ": "
                    + e.getMessage(), e);
        }
        return new Stored(buf, table, false);
    }
    static final boolean MAP = Boolean.getBoolean("tessera.map");
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private static sun.misc.Unsafe unsafe() {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void readAll(float[] voxels) {
        int plane = bytes / 2;
        IntStream.range(0, slices.size()).parallel().forEach(k -> {
            if (!PixelCopier.copyRaw(slices.get(k), voxels, k * plane)) {
                throw new UncheckedIOException(new IOException("TSR-0205: cannot read the pixel data of "
                        + slices.get(k).file().getFileName() + ": the file changed since the series was read"));
            }
        });
    }

    private ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        if (b == null || b.capacity() != bytes) b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.clear();
        return b;
    }

    private static void give(ByteBuffer b) {
        if (POOL.size() < POOL_MAX) POOL.offer(b);
    }

    /** A slice's stored values, rescaled on read; gives its buffer back to the pool when closed. */
    private static final class Stored implements Volume.Slice {
        private final ByteBuffer buf;
        private final float[] table;
        private final boolean mapped;

        Stored(ByteBuffer buf, float[] table, boolean mapped) {
            this.buf = buf;
            this.table = table;
            this.mapped = mapped;
        }

        @Override
        public float value(int p) {
            return table[buf.getShort(p << 1) & 0xffff];
        }

        @Override
        public void close() {
            if (!mapped) give(buf);
            else if (UNSAFE != null) UNSAFE.invokeCleaner(buf);
        }
    }
}
