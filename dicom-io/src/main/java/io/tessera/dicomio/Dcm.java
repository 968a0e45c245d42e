package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Keyword-based access to PixelMed attribute lists. Tags come from PixelMed's dictionary by keyword because
 * Debian's {@code TagFromName} lacks newer SEG tags (SegmentAlgorithmName, AlgorithmFamilyCodeSequence, …).
 * Package-private: PixelMed never leaks out.
 */
final class Dcm {
    private Dcm() {}

    static AttributeTag tag(String keyword) {
        AttributeTag t = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (t == null) throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        return t;
    }

    /** Puts an attribute with the given string values (none: empty, for type 2); replaces any existing one. */
    static Attribute put(AttributeList list, String keyword, String... values) {
        try {
            Attribute a = AttributeFactory.newAttribute(tag(keyword));
            for (String v : values) a.addValue(v == null ? "" : v);
            list.put(a);
            return a;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot set " + keyword + ": " + e.getMessage(), e);
        }
    }

    /** Puts a multi-valued attribute given as a DICOM backslash-delimited string, values kept exactly. */
    static Attribute putDelimited(AttributeList list, String keyword, String delimited) {
        return put(list, keyword, delimited == null || delimited.isEmpty() ? new String[0] : delimited.split("\\\\", -1));
    }

    /** Puts an integer-valued attribute (US, SS, UL, SL, IS). */
    static Attribute putInt(AttributeList list, String keyword, int... values) {
        try {
            Attribute a = AttributeFactory.newAttribute(tag(keyword));
            for (int v : values) a.addValue(v);
            list.put(a);
            return a;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot set " + keyword + ": " + e.getMessage(), e);
        }
    }

    /** Puts an AT attribute pointing at other keywords' tags. */
    static void putTag(AttributeList list, String keyword, String pointedKeyword) {
        try {
            AttributeTagAttribute a = new AttributeTagAttribute(tag(keyword));
            a.addValue(tag(pointedKeyword));
            list.put(a);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    static SequenceAttribute seq(AttributeList list, String keyword) {
        SequenceAttribute s = new SequenceAttribute(tag(keyword));
        list.put(s);
        return s;
    }

    /** Adds a new empty item to the sequence and returns it for filling. */
    static AttributeList item(SequenceAttribute s) {
        AttributeList item = new AttributeList();
        s.addItem(item);
        return item;
    }

    /** A single-item code sequence. */
    static void code(AttributeList list, String keyword, Code code) {
        AttributeList item = item(seq(list, keyword));
        put(item, "CodeValue", code.value());
        put(item, "CodingSchemeDesignator", code.scheme());
        put(item, "CodeMeaning", code.meaning());
    }

    static String get(AttributeList list, String keyword) {
        return Attribute.getDelimitedStringValuesOrEmptyString(list, tag(keyword)).trim();
    }

    static double[] doubles(AttributeList list, String keyword) {
        return Attribute.getDoubleValues(list.get(tag(keyword)));
    }

    static SequenceAttribute getSeq(AttributeList list, String keyword) {
        Attribute a = list.get(tag(keyword));
        return a instanceof SequenceAttribute s ? s : null;
    }

    /** Writes a Part 10 file in explicit VR little endian with Tessera's file meta, creating the folder if needed. */
    static void writePart10(AttributeList l, java.nio.file.Path file) throws java.io.IOException, DicomException {
        l.insertSuitableSpecificCharacterSetForAllStringValues();
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, CtSeriesWriter.IMPLEMENTATION_AE);
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        if (parent != null) java.nio.file.Files.createDirectories(parent);
        l.write(file.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    /** Image Pixel module of 16-bit signed monochrome frames (CT). */
    static void monochrome16(AttributeList l, int rows, int columns) {
        putInt(l, "SamplesPerPixel", 1);
        put(l, "PhotometricInterpretation", "MONOCHROME2");
        putInt(l, "Rows", rows);
        putInt(l, "Columns", columns);
        putInt(l, "BitsAllocated", 16);
        putInt(l, "BitsStored", 16);
        putInt(l, "HighBit", 15);
        putInt(l, "PixelRepresentation", 1);
    }

    static AttributeList firstItem(AttributeList list, String keyword) {
        SequenceAttribute s = getSeq(list, keyword);
        return s == null || s.getNumberOfItems() == 0 ? null : s.getItem(0).getAttributeList();
    }

    /** A decimal string of at most 16 characters (DS limit), without needless trailing zeros. */
    static String ds(double v) {
        if (Math.abs(v) < 1e-9) return "0";
        for (int digits = 12; digits > 1; digits--) {
            String s = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
            if (s.length() <= 16) return s;
        }
        throw new IllegalArgumentException("value does not fit a DS: " + v);
    }

    static String ds(double... vs) {
        StringBuilder b = new StringBuilder();
        for (double v : vs) {
            if (b.length() > 0) b.append('\\');
            b.append(ds(v));
        }
        return b.toString();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
