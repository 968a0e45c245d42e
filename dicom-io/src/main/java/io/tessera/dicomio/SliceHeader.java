package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import java.nio.file.Path;

/** What the reader keeps of one slice between its header pass and its pixel pass (no AttributeList, no pixels). */
record SliceHeader(
        Path file,
        String sopClassUid,
        String sopInstanceUid,
        String seriesInstanceUid,
        String ippString,
        double[] ipp,
        double[] iop,
        int rows,
        int columns,
        double[] pixelSpacing,
        int numberOfFrames,
        String transferSyntax,
        int bitsAllocated,
        int bitsStored,
        boolean signed,
        double slope,
        double intercept,
        int frame) {

    static SliceHeader of(Path file, AttributeList l) throws SeriesReadException {
        if (MultiFrameHeaders.isMultiFrame(l)) return MultiFrameHeaders.instance(file, l);
        double[] ipp = Dcm.doubles(l, "ImagePositionPatient");
        double[] iop = Dcm.doubles(l, "ImageOrientationPatient");
        double[] ps = Dcm.doubles(l, "PixelSpacing");
        String name = file.getFileName().toString();
        if (ipp == null || ipp.length != 3) throw missing(name, "Image Position (Patient)");
        if (iop == null || iop.length != 6) throw missing(name, "Image Orientation (Patient)");
        if (ps == null || ps.length != 2 || !(ps[0] > 0) || !(ps[1] > 0)) throw missing(name, "Pixel Spacing");
        String nf = Dcm.get(l, "NumberOfFrames");
        return new SliceHeader(file, Dcm.get(l, "SOPClassUID"), Dcm.get(l, "SOPInstanceUID"),
                Dcm.get(l, "SeriesInstanceUID"), Dcm.get(l, "ImagePositionPatient"), ipp, iop,
                intOf(l, "Rows"), intOf(l, "Columns"), ps, nf.isEmpty() ? 1 : Integer.parseInt(nf),
                Dcm.get(l, "TransferSyntaxUID"), intOr(l, "BitsAllocated", 16), intOr(l, "BitsStored", intOr(l, "BitsAllocated", 16)),
                intOr(l, "PixelRepresentation", 0) == 1, doubleOr(l, "RescaleSlope", 1.0), doubleOr(l, "RescaleIntercept", 0.0), 0);
    }

    /**
     * A single-frame slice from a {@link HeaderScanner} scan, or null when the scan lacks something or holds a value
     * that does not parse (the caller then reads the file with PixelMed, which reports what is wrong).
     */
    static SliceHeader of(Path file, HeaderScanner.Scan s) {
        String nf = s.get("NumberOfFrames");
        if (!nf.isEmpty() && !"1".equals(nf)) return null;
        try {
            double[] ipp = doubles(s.get("ImagePositionPatient")), iop = doubles(s.get("ImageOrientationPatient"));
            double[] ps = doubles(s.get("PixelSpacing"));
            if (ipp.length != 3 || iop.length != 6 || ps.length != 2 || !(ps[0] > 0) || !(ps[1] > 0)) return null;
            int bitsAllocated = intOr(s.get("BitsAllocated"), 16);
            return new SliceHeader(file, s.get("SOPClassUID"), s.get("SOPInstanceUID"), s.get("SeriesInstanceUID"),
                    s.get("ImagePositionPatient"), ipp, iop, intOr(s.get("Rows"), 0), intOr(s.get("Columns"), 0), ps, 1,
                    s.get("TransferSyntaxUID"), bitsAllocated, intOr(s.get("BitsStored"), bitsAllocated),
                    intOr(s.get("PixelRepresentation"), 0) == 1, doubleOr(s.get("RescaleSlope"), 1.0),
                    doubleOr(s.get("RescaleIntercept"), 0.0), 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double[] doubles(String delimited) {
        if (delimited.isEmpty()) return new double[0];
        String[] parts = delimited.split("\\\\", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i].trim());
        return out;
    }

    private static int intOr(String value, int dflt) {
        return value.isEmpty() ? dflt : Integer.parseInt(value.split("\\\\")[0].trim());
    }

    private static double doubleOr(String value, double dflt) {
        return value.isEmpty() ? dflt : Double.parseDouble(value.split("\\\\")[0].trim());
    }

    /** Frame {@code frame} (1-based) of a multi-frame instance, with its own geometry and rescale. */
    SliceHeader frame(int frame, String ippString, double[] ipp, double[] iop, double[] pixelSpacing, double slope,
                      double intercept) {
        return new SliceHeader(file, sopClassUid, sopInstanceUid, seriesInstanceUid, ippString, ipp, iop, rows, columns,
                pixelSpacing, numberOfFrames, transferSyntax, bitsAllocated, bitsStored, signed, slope, intercept, frame);
    }

    private static int intOr(AttributeList l, String kw, int dflt) {
        return Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag(kw), dflt);
    }

    private static double doubleOr(AttributeList l, String kw, double dflt) {
        return Attribute.getSingleDoubleValueOrDefault(l, Dcm.tag(kw), dflt);
    }

    private static int intOf(AttributeList l, String kw) {
        String s = Dcm.get(l, kw);
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    private static SeriesReadException missing(String file, String what) {
        return new SeriesReadException("TSR-0205", "instance " + file + " lacks a valid " + what
                + "; only images with patient-space geometry can be made into a volume");
    }

    double along(double[] normal) {
        return ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
    }
}
