package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-frame image (Enhanced CT/MR and other functional-group objects) into one {@link SliceHeader} per frame.
 * Each frame's geometry and rescale come from its Per-frame Functional Groups item, else the Shared Functional Groups,
 * else the top-level data set: Plane Position (Image Position Patient), Plane Orientation (Image Orientation Patient),
 * Pixel Measures (Pixel Spacing) and Pixel Value Transformation (Rescale Slope/Intercept). The frames then go through
 * the same checks, sorting and spacing rules as a series of single-frame instances.
 */
final class MultiFrameHeaders {
    private MultiFrameHeaders() {}

    static boolean isMultiFrame(AttributeList l) {
        String nf = Dcm.get(l, "NumberOfFrames");
        return (!nf.isEmpty() && !"1".equals(nf.trim())) || Dcm.getSeq(l, "PerFrameFunctionalGroupsSequence") != null;
    }

    /** The instance as a whole (frame 0): identity and pixel encoding; geometry is left to {@link #frames}. */
    static SliceHeader instance(Path file, AttributeList l) throws SeriesReadException {
        String nf = Dcm.get(l, "NumberOfFrames");
        int frames;
        try {
            frames = nf.isEmpty() ? 1 : Integer.parseInt(nf.trim());
        } catch (NumberFormatException e) {
            throw new SeriesReadException("TSR-0205", "instance " + file.getFileName() + " has an invalid Number of Frames");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("BitsAllocated"), 16);
        return new SliceHeader(file, Dcm.get(l, "SOPClassUID"), Dcm.get(l, "SOPInstanceUID"), Dcm.get(l, "SeriesInstanceUID"),
                "", null, null, intOf(l, "Rows"), intOf(l, "Columns"), null, frames, Dcm.get(l, "TransferSyntaxUID"),
                bitsAllocated, Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("BitsStored"), bitsAllocated),
                Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag("PixelRepresentation"), 0) == 1, 1.0, 0.0, 0);
    }

    /** One header per frame, in frame order (frame numbers from 1). */
    static List<SliceHeader> frames(SliceHeader instance, AttributeList l) throws SeriesReadException {
        String name = instance.file().getFileName().toString();
        SequenceAttribute perFrame = Dcm.getSeq(l, "PerFrameFunctionalGroupsSequence");
        AttributeList shared = Dcm.firstItem(l, "SharedFunctionalGroupsSequence");
        int n = instance.numberOfFrames();
        if (perFrame != null && perFrame.getNumberOfItems() != n) {
            throw new SeriesReadException("TSR-0205", "instance " + name + " has " + perFrame.getNumberOfItems()
                    + " Per-frame Functional Groups items for " + n + " frames");
        }
        List<SliceHeader> out = new ArrayList<>(n);
        for (int f = 1; f <= n; f++) {
            AttributeList item = perFrame == null ? null : perFrame.getItem(f - 1).getAttributeList();
            String ippString = value(item, shared, l, "PlanePositionSequence", "ImagePositionPatient");
            double[] ipp = doubles(ippString);
            double[] iop = doubles(value(item, shared, l, "PlaneOrientationSequence", "ImageOrientationPatient"));
            double[] ps = doubles(value(item, shared, l, "PixelMeasuresSequence", "PixelSpacing"));
            if (ipp == null || ipp.length != 3) throw missing(name, f, "Image Position (Patient)");
            if (iop == null || iop.length != 6) throw missing(name, f, "Image Orientation (Patient)");
            if (ps == null || ps.length != 2 || !(ps[0] > 0) || !(ps[1] > 0)) throw missing(name, f, "Pixel Spacing");
            double slope = number(value(item, shared, l, "PixelValueTransformationSequence", "RescaleSlope"), 1.0);
            double intercept = number(value(item, shared, l, "PixelValueTransformationSequence", "RescaleIntercept"), 0.0);
            out.add(instance.frame(f, ippString, ipp, iop, ps, slope, intercept));
        }
        return out;
    }

    /** The attribute from the frame's functional group, else the shared one, else the top level; "" when absent. */
    private static String value(AttributeList frame, AttributeList shared, AttributeList top, String group, String keyword) {
        for (AttributeList fg : new AttributeList[] {frame, shared}) {
            if (fg == null) continue;
            AttributeList g = Dcm.firstItem(fg, group);
            if (g != null && !Dcm.get(g, keyword).isEmpty()) return Dcm.get(g, keyword);
        }
        return Dcm.get(top, keyword);
    }

    private static double[] doubles(String delimited) {
        if (delimited == null || delimited.isBlank()) return null;
        String[] v = delimited.split("\\\\");
        double[] d = new double[v.length];
        try {
            for (int i = 0; i < v.length; i++) d[i] = Double.parseDouble(v[i].trim());
        } catch (NumberFormatException e) {
            return null;
        }
        return d;
    }

    private static double number(String s, double dflt) {
        double[] d = doubles(s);
        return d == null || d.length == 0 ? dflt : d[0];
    }

    private static int intOf(AttributeList l, String kw) {
        String s = Dcm.get(l, kw);
        return s.isEmpty() ? 0 : Integer.parseInt(s.trim());
    }

    private static SeriesReadException missing(String file, int frame, String what) {
        return new SeriesReadException("TSR-0205", "frame " + frame + " of " + file + " lacks a valid " + what
                + " (in its Per-frame or Shared Functional Groups)");
    }
}
