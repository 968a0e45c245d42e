package io.tessera.listener;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Checks that a received data set is whole before anything parses or files it: every element's value fits in the bytes
 * received, every undefined-length sequence and item is closed, explicit VRs are VRs, and no bytes are left over.
 * Values are skipped, not read, so a 512 KiB slice costs microseconds. A header parser that stops at Pixel Data would
 * not notice a slice cut short inside its pixels; one that trusts a garbage length would allocate it.
 */
final class DataSetStructure {
    static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int MAX_DEPTH = 64;
    /**
     * A backstop only: the session refuses a deflated data set whose inflated length passes maxInstanceBytes
     * ({@link #inflatedLength}) before anything inflates it here.
     */
    private static final long MAX_INFLATED = 1L << 30;
    private static final Set<String> FOUR_BYTE_LENGTH = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");
    private static final Set<String> TWO_BYTE_LENGTH = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS",
            "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US");

    private DataSetStructure() {
    }

    /** @throws InstanceHeader.UnreadableInstanceException (TSR-0209) when the data set is cut short or not well formed */
    static void check(List<byte[]> fragments, String transferSyntaxUid) {
        boolean explicit = !IMPLICIT_LE.equals(transferSyntaxUid);
        boolean bigEndian = EXPLICIT_BE.equals(transferSyntaxUid);
        Cursor c = DEFLATED.equals(transferSyntaxUid) ? new Cursor(inflate(fragments), false)
                : new Cursor(fragments, bigEndian);
        dataSet(c, explicit, c.total, 0);
    }

    private static void dataSet(Cursor c, boolean explicit, long end, int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("sequences nested deeper than " + MAX_DEPTH);
        }
        while (true) {
            if (end >= 0 && c.pos == end) {
                return;
            }
            if (end >= 0 && c.pos > end) {
                throw malformed("an element overruns its item at byte " + c.pos);
            }
            int tag = c.tag();
            if (tag == ITEM_END) {
                c.u32();
                if (end < 0) {
                    return;
                }
                continue;
            }
            if ((tag >>> 16) == 0xFFFE) {
                throw malformed(String.format("unexpected delimiter (%s) at byte %d", tagString(tag), c.pos - 4));
            }
            element(c, explicit, tag, depth);
        }
    }

    /** Skips one element's VR, length and value (checking nested items), its tag already read. */
    private static void element(Cursor c, boolean explicit, int tag, int depth) {
        String vr = null;
        long length;
        if (explicit) {
            vr = c.vr();
            if (TWO_BYTE_LENGTH.contains(vr)) {
                length = c.u16();
            } else if (FOUR_BYTE_LENGTH.contains(vr) || isLetters(vr)) {
                c.u16();
                length = c.u32();
            } else {
                throw malformed(String.format("element %s has no valid VR at byte %d", tagString(tag), c.pos - 2));
            }
        } else {
            length = c.u32();
        }
        if (length == UNDEFINED) {
            if (explicit && !Set.of("SQ", "UN", "OB", "OW").contains(vr)) {
                throw malformed("element " + tagString(tag) + " (" + vr + ") has undefined length");
            }
            boolean encapsulated = explicit && ("OB".equals(vr) || "OW".equals(vr));
            items(c, explicit && !"UN".equals(vr), encapsulated, depth + 1, tag);
        } else {
            if (length > c.total - c.pos) {
                throw new InstanceHeader.UnreadableInstanceException("TSR-0209: data set truncated: element "
                        + tagString(tag) + " declares " + length + " bytes, " + (c.total - c.pos) + " were received",
                        null, InstanceHeader.Problem.MALFORMED);
            }
            c.skip(length);
        }
    }

    /**
     * Whether the first fragments of a data set still arriving hold, at top level, every element before Pixel Data
     * whole and well formed, and Pixel Data's tag: then a header parser that stops at Pixel Data reads only checked
     * bytes. False for a deflated data set, one without Pixel Data in these bytes, or anything malformed.
     */
    static boolean headerComplete(List<byte[]> firstFragments, String transferSyntaxUid) {
        if (DEFLATED.equals(transferSyntaxUid)) {
            return false;
        }
        boolean explicit = !IMPLICIT_LE.equals(transferSyntaxUid);
        Cursor c = new Cursor(firstFragments, EXPLICIT_BE.equals(transferSyntaxUid));
        try {
            while (c.pos + 4 <= c.total) {
                int tag = c.tag();
                if (tag == PIXEL_DATA) {
                    return true;
                }
                if ((tag >>> 16) == 0xFFFE) {
                    return false;
                }
                element(c, explicit, tag, 0);
            }
            return false;
        } catch (InstanceHeader.UnreadableInstanceException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static void items(Cursor c, boolean explicit, boolean fragments, int depth, int owner) {
        while (true) {
            int tag = c.tag();
            long length = c.u32();
            if (tag == SEQUENCE_END) {
                return;
            }
            if (tag != ITEM) {
                throw malformed("expected an item in " + tagString(owner) + ", found " + tagString(tag));
            }
            if (length == UNDEFINED) {
                if (fragments) {
                    throw malformed("a pixel data fragment of undefined length");
                }
                dataSet(c, explicit, -1, depth);
            } else if (length > c.total - c.pos) {
                throw new InstanceHeader.UnreadableInstanceException("TSR-0209: data set truncated inside "
                        + tagString(owner) + ": an item declares " + length + " bytes, " + (c.total - c.pos)
                        + " were received", null, InstanceHeader.Problem.MALFORMED);
            } else {
                c.skip(length);
            }
        }
    }

    private static boolean isLetters(String vr) {
        return vr.length() == 2 && Character.isUpperCase(vr.charAt(0)) && Character.isUpperCase(vr.charAt(1))
                && vr.charAt(0) <= 'Z' && vr.charAt(1) <= 'Z';
    }

    private static String tagString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }

    private static InstanceHeader.UnreadableInstanceException malformed(String why) {
        return new InstanceHeader.UnreadableInstanceException("TSR-0209: malformed data set: " + why, null,
                InstanceHeader.Problem.MALFORMED);
    }

    /**
     * The inflated length of a deflated data set, counted without keeping it, or -1 as soon as it passes {@code limit}
     * (a 1 MiB deflate bomb of zeros costs a fraction of a second and no memory).
     *
     * @throws InstanceHeader.UnreadableInstanceException (TSR-0209) when the deflate stream is corrupt
     */
    static long inflatedLength(List<byte[]> fragments, long limit) {
        Inflater inflater = new Inflater(true);
        try (InputStream in = new InflaterInputStream(raw(fragments), inflater, 65536)) {
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    return -1;
                }
            }
            return total;
        } catch (IOException e) {
            throw malformed("deflated data set cannot be inflated: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static InputStream raw(List<byte[]> fragments) {
        return new SequenceInputStream(Collections.enumeration(fragments.stream().map(ByteArrayInputStream::new).toList()));
    }

    /** Inflated into chunks of 1 MiB (no doubling copies), at most {@link #MAX_INFLATED} bytes. */
    private static List<byte[]> inflate(List<byte[]> fragments) {
        Inflater inflater = new Inflater(true);
        try (InputStream in = new InflaterInputStream(raw(fragments), inflater, 65536)) {
            List<byte[]> chunks = new java.util.ArrayList<>();
            long total = 0;
            while (true) {
                byte[] chunk = in.readNBytes(1 << 20);
                if (chunk.length > 0) {
                    total += chunk.length;
                    if (total > MAX_INFLATED) {
                        throw malformed("deflated data set inflates beyond " + MAX_INFLATED + " bytes");
                    }
                    chunks.add(chunk);
                }
                if (chunk.length < 1 << 20) {
                    return chunks;
                }
            }
        } catch (IOException e) {
            throw malformed("deflated data set cannot be inflated: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Reads across the received fragments without copying them. */
    private static final class Cursor {
        private final List<byte[]> fragments;
        private final boolean bigEndian;
        final long total;
        long pos;
        private int fragment;
        private int offset;

        Cursor(List<byte[]> fragments, boolean bigEndian) {
            this.fragments = fragments;
            this.bigEndian = bigEndian;
            long sum = 0;
            for (byte[] f : fragments) {
                sum += f.length;
            }
            this.total = sum;
        }

        private int u8() {
            if (pos >= total) {
                throw new InstanceHeader.UnreadableInstanceException(
                        "TSR-0209: data set truncated: it ends inside an element header or an open sequence at byte " + pos,
                        null, InstanceHeader.Problem.MALFORMED);
            }
            byte[] f = fragments.get(fragment);
            while (offset == f.length) {
                f = fragments.get(++fragment);
                offset = 0;
            }
            pos++;
            return f[offset++] & 0xff;
        }

        int u16() {
            int a = u8();
            int b = u8();
            return bigEndian ? (a << 8) | b : (b << 8) | a;
        }

        long u32() {
            long a = u16();
            long b = u16();
            return bigEndian ? (a << 16) | b : (b << 16) | a;
        }

        int tag() {
            int group = u16();
            return (group << 16) | u16();
        }

        String vr() {
            return new String(new char[] {(char) u8(), (char) u8()});
        }

        void skip(long n) {
            pos += n;
            long left = n;
            while (left > 0) {
                byte[] f = fragments.get(fragment);
                long step = Math.min(left, f.length - offset);
                offset += (int) step;
                left -= step;
                if (left > 0) {
                    fragment++;
                    offset = 0;
                }
            }
        }
    }
}
