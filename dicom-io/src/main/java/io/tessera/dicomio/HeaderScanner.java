package io.tessera.dicomio;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads, from the first bytes of a Part 10 file in uncompressed little endian, only what makes a slice of a volume:
 * identity, geometry, pixel encoding, rescale, and where the Pixel Data value starts. Sequences and every other element
 * are stepped over, not decoded. Parsing the same header into a full attribute list costs several times as much, which
 * on a 300-slice series was most of the time it took to make the volume.
 *
 * <p>Anything it does not expect (no preamble, another transfer syntax, a multi-frame image, an element running past
 * the bytes given, a value it cannot parse) gives {@code null}, and the caller reads the file with PixelMed as before:
 * the scanner only takes the common case, it never decides that a file is invalid.
 */
final class HeaderScanner {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int PER_FRAME_GROUPS = 0x52009230;

    /** Top-level elements kept, by tag; US values are binary, the others text (UI, DS, IS). */
    private static final Map<Integer, String> KEPT = Map.ofEntries(
            Map.entry(0x00080016, "SOPClassUID"), Map.entry(0x00080018, "SOPInstanceUID"),
            Map.entry(0x0020000E, "SeriesInstanceUID"), Map.entry(0x00200032, "ImagePositionPatient"),
            Map.entry(0x00200037, "ImageOrientationPatient"), Map.entry(0x00280008, "NumberOfFrames"),
            Map.entry(0x00280010, "Rows"), Map.entry(0x00280011, "Columns"), Map.entry(0x00280030, "PixelSpacing"),
            Map.entry(0x00280100, "BitsAllocated"), Map.entry(0x00280101, "BitsStored"),
            Map.entry(0x00280103, "PixelRepresentation"), Map.entry(0x00281052, "RescaleIntercept"),
            Map.entry(0x00281053, "RescaleSlope"));
    private static final java.util.Set<Integer> BINARY_US = java.util.Set.of(0x00280010, 0x00280011, 0x00280100, 0x00280101,
            0x00280103);

    /** What a scan found: the kept values by keyword (trimmed, values joined with a backslash) and the Pixel Data value. */
    record Scan(Map<String, String> values, long pixelOffset, long pixelLength) {
        String get(String keyword) {
            return values.getOrDefault(keyword, "");
        }
    }

    private final byte[] b;
    private final int n;
    private int p;

    private HeaderScanner(byte[] b, int n) {
        this.b = b;
        this.n = n;
    }

    /** The scan of {@code b[0 .. n)}, or null when this file is not the common case (read it with PixelMed). */
    static Scan scan(byte[] b, int n) {
        try {
            return new HeaderScanner(b, n).run();
        } catch (Malformed | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Scan run() {
        if (n < 132 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') return null;
        p = 132;
        String ts = null;
        while (p + 8 <= n && u16(p) == 0x0002) { // file meta: always explicit VR little endian
            int element = u16(p + 2);
            long len = explicitHeader();
            need(len);
            if (element == 0x0010) ts = text(p, (int) len);
            p += (int) len;
        }
        boolean explicit = EXPLICIT_LE.equals(ts);
        if (!explicit && !IMPLICIT_LE.equals(ts)) return null;
        Map<String, String> values = new HashMap<>();
        values.put("TransferSyntaxUID", ts);
        while (true) {
            if (p + 8 > n) return null;
            int tag = (u16(p) << 16) | u16(p + 2);
            if (tag == PIXEL_DATA) {
                long len = explicit ? explicitHeader() : implicitHeader();
                return new Scan(values, len == UNDEFINED ? -1 : p, len == UNDEFINED ? -1 : len);
            }
            if (Integer.compareUnsigned(tag, PIXEL_DATA) > 0 || tag == PER_FRAME_GROUPS) return null;
            boolean unknownVr = explicit && b[p + 4] == 'U' && b[p + 5] == 'N';
            long len = explicit ? explicitHeader() : implicitHeader();
            if (len == UNDEFINED) {
                skipSequence(explicit && !unknownVr); // an undefined-length UN holds an implicit VR sequence (PS3.5 6.2.2)
                continue;
            }
            need(len);
            String keyword = KEPT.get(tag);
            if (keyword != null) {
                if (BINARY_US.contains(tag)) {
                    if (len != 2) return null;
                    values.put(keyword, Integer.toString(u16(p)));
                } else {
                    values.put(keyword, text(p, (int) len));
                }
            }
            p += (int) len;
        }
    }

    /** Steps over an explicit VR element header at {@code p}; returns the value length. */
    private long explicitHeader() {
        if (p + 8 > n) throw new Malformed();
        char v0 = (char) b[p + 4], v1 = (char) b[p + 5];
        if (u16(p) == 0xFFFE) { // items and delimiters carry no VR
            long len = u32(p + 4);
            p += 8;
            return len;
        }
        if (longForm(v0, v1)) {
            if (p + 12 > n) throw new Malformed();
            long len = u32(p + 8);
            p += 12;
            return len;
        }
        long len = u16(p + 6);
        p += 8;
        return len;
    }

    private long implicitHeader() {
        long len = u32(p + 4);
        p += 8;
        return len;
    }

    /** From just after an undefined-length sequence's header to just after its delimiter. */
    private void skipSequence(boolean explicit) {
        while (true) {
            if (p + 8 > n) throw new Malformed();
            int group = u16(p), element = u16(p + 2);
            long len = u32(p + 4);
            p += 8;
            if (group != 0xFFFE) throw new Malformed();
            if (element == 0xE0DD) return; // sequence delimiter
            if (element != 0xE000) throw new Malformed();
            if (len != UNDEFINED) {
                need(len);
                p += (int) len;
                continue;
            }
            while (true) { // an undefined-length item: elements up to its delimiter
                if (p + 8 > n) throw new Malformed();
                if (u16(p) == 0xFFFE && u16(p + 2) == 0xE00D) {
                    p += 8;
                    break;
                }
                boolean unknownVr = explicit && b[p + 4] == 'U' && b[p + 5] == 'N';
                long l = explicit ? explicitHeader() : implicitHeader();
                if (l == UNDEFINED) {
                    skipSequence(explicit && !unknownVr);
                } else {
                    need(l);
                    p += (int) l;
                }
            }
        }
    }

    private static boolean longForm(char v0, char v1) {
        return switch ("" + v0 + v1) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    /** The value as text: each backslash-separated value trimmed of spaces and NUL padding. */
    private String text(int at, int len) {
        String raw = new String(b, at, len, StandardCharsets.ISO_8859_1);
        if (raw.indexOf('\\') < 0) return strip(raw);
        String[] parts = raw.split("\\\\", -1);
        StringBuilder s = new StringBuilder(len);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) s.append('\\');
            s.append(strip(parts[i]));
        }
        return s.toString();
    }

    private static String strip(String s) {
        int from = 0, to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == 0)) from++;
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == 0)) to--;
        return s.substring(from, to);
    }

    private void need(long len) {
        if (len < 0 || p + len > n) throw new Malformed();
    }

    private int u16(int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private long u32(int at) {
        return (u16(at) | (long) u16(at + 2) << 16) & 0xFFFFFFFFL;
    }

    /** Not the common case: the caller falls back to PixelMed. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }
}
