package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** The few header fields the spool and index need, read with PixelMed up to (not into) Pixel Data. */
record InstanceHeader(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid, String modality) {
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    /**
     * Checks the data set is whole ({@link DataSetStructure}), then parses its header held as fragments; throws
     * {@link UnreadableInstanceException} if unusable.
     */
    static InstanceHeader parse(List<byte[]> fragments, String transferSyntaxUid) {
        return parse(fragments, transferSyntaxUid, null);
    }

    /**
     * As {@link #parse(List, String)}, reusing {@code early} (read from the first fragments while the rest was
     * still arriving) when there is one; the whole data set's structure is checked either way.
     */
    static InstanceHeader parse(List<byte[]> fragments, String transferSyntaxUid, InstanceHeader early) {
        DataSetStructure.check(fragments, transferSyntaxUid);
        if (early != null) {
            return early;
        }
        return read(fragments, transferSyntaxUid);
    }

    /**
     * The header read from the first fragments of a data set still arriving, or null if they end before Pixel Data
     * (or the transfer syntax is deflated, or anything is odd): the caller then parses the whole data set. The result
     * is what {@link #parse} would return, since both stop at Pixel Data.
     */
    static InstanceHeader early(List<byte[]> firstFragments, String transferSyntaxUid) {
        if (transferSyntaxUid == null || !DataSetStructure.headerComplete(firstFragments, transferSyntaxUid)) {
            return null;
        }
        try {
            InstanceHeader h = read(firstFragments, transferSyntaxUid);
            return isSafeUid(h.studyUid()) && isSafeUid(h.seriesUid()) ? h : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static InstanceHeader read(List<byte[]> fragments, String transferSyntaxUid) {
        try (InputStream in = new SequenceInputStream(Collections.enumeration(
                fragments.stream().map(ByteArrayInputStream::new).toList()))) {
            AttributeList list = new AttributeList();
            list.read(new DicomInputStream(in, transferSyntaxUid, false), TagFromName.PixelData);
            InstanceHeader h = new InstanceHeader(
                    value(list, TagFromName.StudyInstanceUID), value(list, TagFromName.SeriesInstanceUID),
                    value(list, TagFromName.SOPInstanceUID), value(list, TagFromName.SOPClassUID),
                    value(list, TagFromName.Modality));
            requireUid("Study Instance UID", h.studyUid());
            requireUid("Series Instance UID", h.seriesUid());
            return h;
        } catch (UnreadableInstanceException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new UnreadableInstanceException("TSR-0261: data set cannot be parsed: " + e, e);
        }
    }

    /** UIDs become path segments: only digits and dots, at most 64 characters (no traversal, no odd names). */
    static boolean isSafeUid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }

    static void requireUid(String what, String uid) {
        if (!isSafeUid(uid)) {
            throw new UnreadableInstanceException("TSR-0262: " + what + " missing or not a valid UID", null,
                    Problem.INVALID_UID);
        }
    }

    private static String value(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    /** What is wrong with an instance we cannot file; each has its own counter. */
    enum Problem { MALFORMED, INVALID_UID }

    /** The received data set is not something we can file; answered with 0xC000 (cannot understand). */
    static final class UnreadableInstanceException extends RuntimeException {
        private final Problem problem;

        UnreadableInstanceException(String message, Throwable cause) {
            this(message, cause, Problem.MALFORMED);
        }

        UnreadableInstanceException(String message, Throwable cause, Problem problem) {
            super(message, cause);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }
}
