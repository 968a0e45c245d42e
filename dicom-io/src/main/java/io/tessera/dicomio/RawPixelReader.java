package io.tessera.dicomio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fast path for the common case: an uncompressed little-endian 16-bit slice whose Pixel Data is the last element of the
 * file. The element header just before the last {@code rows*cols*2} bytes is checked (tag 7FE0,0010 and the length), so
 * anything else (trailing padding, odd layouts) returns {@code null} and the caller decodes with PixelMed instead. About
 * 3× faster than a full PixelMed parse per slice, which matters for 300-slice series.
 */
final class RawPixelReader {
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private RawPixelReader() {}

    static short[] tryRead(Path file, String transferSyntax, int rows, int columns) {
        ByteBuffer px = tryReadBytes(file, transferSyntax, rows, columns, ByteBuffer.allocate(2 * rows * columns));
        if (px == null) return null;
        short[] out = new short[rows * columns];
        px.asShortBuffer().get(out);
        return out;
    }

    /** Each thread's buffer for {@link #tryConvert}: read into directly by the kernel, reused slice after slice. */
    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

    /**
     * Reads the pixel values and writes {@code table[value]} for each into {@code voxels} from {@code offset}: the
     * file's bytes go once into a reused direct buffer, then once into the volume. False when the fast path does not
     * apply (nothing written).
     */
    static boolean tryConvert(Path file, String transferSyntax, int rows, int columns, float[] table, float[] voxels, int offset) {
        int n = 2 * rows * columns;
        ByteBuffer buf = BUFFER.get();
        if (buf == null || buf.capacity() < n) {
            buf = ByteBuffer.allocateDirect(n);
            BUFFER.set(buf);
        }
        buf.clear().limit(n);
        ByteBuffer px = tryReadBytes(file, transferSyntax, rows, columns, buf);
        if (px == null) return false;
        for (int p = 0, end = rows * columns; p < end; p++) voxels[offset + p] = table[px.getShort(2 * p) & 0xffff];
        return true;
    }

    /** The Pixel Data value's bytes (little endian) into {@code px} (remaining = 2 × rows × columns), or null. */
    private static ByteBuffer tryReadBytes(Path file, String transferSyntax, int rows, int columns, ByteBuffer px) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = pixelOffset(ch, transferSyntax, rows, columns);
            if (start < 0) return null;
            readFully(ch, px, start);
            px.flip();
            return px.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Where the fast path's Pixel Data value starts in the file (its {@code 2 × rows × columns} bytes end the file), or
     * -1 when it does not apply (another transfer syntax or layout).
     */
    static long pixelOffset(FileChannel ch, String transferSyntax, int rows, int columns) throws IOException {
        boolean explicit = EXPLICIT_LE.equals(transferSyntax);
        if (!explicit && !IMPLICIT_LE.equals(transferSyntax)) return -1;
        long n = 2L * rows * columns;
        long size = ch.size();
        int headerLen = explicit ? 12 : 8;
        long start = size - n;
        if (start - headerLen < 0) return -1;
        ByteBuffer h = ByteBuffer.allocate(headerLen).order(ByteOrder.LITTLE_ENDIAN);
        while (h.hasRemaining()) {
            if (ch.read(h, start - headerLen + h.position()) < 0) return -1;
        }
        if (h.getShort(0) != (short) 0x7FE0 || h.getShort(2) != 0x0010) return -1;
        if (explicit && !(h.get(4) == 'O' && (h.get(5) == 'W' || h.get(5) == 'B'))) return -1;
        if ((h.getInt(headerLen - 4) & 0xffffffffL) != n) return -1;
        return start;
    }

    /** Fills {@code dst}'s remaining bytes from {@code position} in the file; an early end of file is an error. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int got = ch.read(dst, p);
            if (got < 0) throw new java.io.EOFException("file ends " + dst.remaining() + " bytes before its pixel data does");
            p += got;
        }
    }
}
