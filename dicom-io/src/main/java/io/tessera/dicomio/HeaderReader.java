package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file's attributes up to Pixel Data, and where the fast path's pixel values start, with one open and one read:
 * the file's first 16 KiB are parsed from memory. Reading the header through PixelMed's file API costs about five
 * times as much per file (on a 300-slice CT, that was most of the time it took to make the series into a volume).
 * A header that does not end within those bytes (large private blocks) is read through PixelMed's file API instead.
 * {@link #scan} goes further for the common single-frame case: {@link HeaderScanner} keeps only the slice, no
 * attribute list is made.
 */
final class HeaderReader {
    static final int FIRST_READ = 16 * 1024;

    /**
     * @param attributes  the header's attributes, or null when only {@code slice} was scanned
     * @param slice       the single-frame slice the scan found, or null when {@code attributes} were parsed
     * @param pixelOffset where the file's uncompressed 16-bit Pixel Data value starts, or -1 (see {@link RawPixelReader})
     */
    record Header(AttributeList attributes, SliceHeader slice, long pixelOffset) {}

    private HeaderReader() {}

    /**
     * The header's attributes (PixelMed, parsed from the bytes read).
     *
     * @param rawPixels whether to look for the fast path's pixel layout ({@code rows}, {@code columns} and the transfer
     *                  syntax come from the header just read)
     */
    static Header read(Path f, boolean rawPixels) throws SeriesReadException {
        return read(f, rawPixels, false);
    }

    /**
     * Only the slice ({@link HeaderScanner}) when the file is the common case: a single-frame uncompressed little-endian
     * image with its geometry; otherwise as {@link #read} with the fast path's pixel layout looked for.
     */
    static Header scan(Path f) throws SeriesReadException {
        return read(f, true, true);
    }

    private static Header read(Path f, boolean rawPixels, boolean scanOnly) throws SeriesReadException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, FIRST_READ));
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                // a short read is read on from where it stopped
            }
            buf.flip();
            if (scanOnly) {
                HeaderScanner.Scan scan = HeaderScanner.scan(buf.array(), buf.limit());
                SliceHeader slice = scan == null ? null : SliceHeader.of(f, scan);
                if (slice != null) {
                    long n = 2L * slice.rows() * slice.columns();
                    boolean raw = slice.bitsAllocated() == 16 && scan.pixelLength() == n && scan.pixelOffset() + n == size;
                    return new Header(null, slice, raw ? scan.pixelOffset() : -1);
                }
            }
            AttributeList l = parse(buf, size);
            if (l == null) l = SeriesReader.readHeaderFromFile(f);
            long offset = -1;
            if (rawPixels && !MultiFrameHeaders.isMultiFrame(l)
                    && com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("BitsAllocated"), 0) == 16) {
                int rows = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("Rows"), 0);
                int columns = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("Columns"), 0);
                offset = RawPixelReader.pixelOffset(ch, Dcm.get(l, "TransferSyntaxUID"), rows, columns);
            }
            return new Header(l, null, offset);
        } catch (IOException | RuntimeException e) {
            throw SeriesReader.unreadable(f, e);
        }
    }

    /** The header parsed from {@code buf}, or null when it may go on past it (then the file is read as a whole). */
    private static AttributeList parse(ByteBuffer buf, long size) throws IOException {
        int n = buf.limit();
        boolean whole = n == size;
        if (!whole && !containsPixelDataTag(buf.array(), n)) return null;
        ByteArrayInputStream in = new ByteArrayInputStream(buf.array(), 0, n);
        AttributeList l = new AttributeList();
        try {
            l.read(new DicomInputStream(in), Dcm.tag("PixelData"));
        } catch (DicomException e) {
            if (whole) throw new IOException(e.getMessage(), e);
            return null;
        }
        // stopped at Pixel Data before the end of what was read: the header is complete
        return whole || in.available() > 0 ? l : null;
    }

    /** Whether tag (7FE0,0010) occurs little endian in the bytes (a cheap test before a parse that may fall short). */
    private static boolean containsPixelDataTag(byte[] b, int n) {
        for (int i = 132; i + 3 < n; i++) {
            if (b[i] == (byte) 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00) return true;
        }
        return false;
    }
}
