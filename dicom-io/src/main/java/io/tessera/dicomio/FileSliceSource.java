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
        return slice(k, 0, slices.get(k).rows());
    }

    /** Reads only the rows asked for: the first windows of a model need about two thirds of each slice's rows. */
    @Override
    public Volume.Slice slice(int k, int rowFrom, int rowTo) {
        SliceHeader s = slices.get(k);
        ByteBuffer buf = take();
        int rowBytes = 2 * s.columns(), from = Math.max(0, rowFrom) * rowBytes, to = Math.min(s.rows(), rowTo) * rowBytes;
        buf.limit(Math.max(from, to)).position(from);
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            if (ch.size() != pixelOffsets[k] + bytes) throw new IOException("its size changed since the series was read");
            RawPixelReader.readFully(ch, buf, pixelOffsets[k] + from);
        } catch (IOException e) {
            give(buf);
            throw new UncheckedIOException("TSR-0205: cannot read the pixel data of " + s.file().getFileName() + ": "
                    + e.getMessage(), e);
        }
        return new Stored(buf, PixelCopier.Rescale.of(s.bitsStored(), s.signed(), s.slope(), s.intercept()).table());
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

        Stored(ByteBuffer buf, float[] table) {
            this.buf = buf;
            this.table = table;
        }

        @Override
        public float value(int p) {
            return table[buf.getShort(p << 1) & 0xffff];
        }

        @Override
        public void close() {
            give(buf);
        }
    }
}
