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
        boolean explicit = EXPLICIT_LE.equals(transferSyntax);
        if (!explicit && !IMPLICIT_LE.equals(transferSyntax)) return null;
        long n = 2L * rows * columns;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int headerLen = explicit ? 12 : 8;
            long start = size - n;
            if (start - headerLen < 0) return null;
            ByteBuffer h = ByteBuffer.allocate(headerLen).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, start - headerLen);
            h.flip();
            if (h.getShort(0) != (short) 0x7FE0 || h.getShort(2) != 0x0010) return null;
            if (explicit && !(h.get(4) == 'O' && (h.get(5) == 'W' || h.get(5) == 'B'))) return null;
            if ((h.getInt(headerLen - 4) & 0xffffffffL) != n) return null;
            ByteBuffer px = ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN);
            while (px.hasRemaining()) {
                if (ch.read(px, start + px.position()) < 0) return null;
            }
            px.flip();
            short[] out = new short[rows * columns];
            px.asShortBuffer().get(out);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
