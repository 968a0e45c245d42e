package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a single-frame greyscale image that is not part of a volume (CR, DX for presentation or for processing,
 * secondary capture, one frame of US or MG) into a {@link ProjectionImage}:
 * <ul>
 *   <li>stored values masked to Bits Stored (sign-extended when Pixel Representation is 1), then Rescale Slope and
 *       Intercept when present;</li>
 *   <li>MONOCHROME1 (higher values darker, as many CR and DX detectors send) inverted over the stored range
 *       {@code v' = lo + hi - v}, and the window centre with it, so a model sees one convention;</li>
 *   <li>spacing from Pixel Spacing, else Imager Pixel Spacing (what projection images carry), else 1 mm, and which
 *       one it was;</li>
 *   <li>the first VOI LUT window (Window Center / Width), for models that declare {@code window: {type: voi}}.</li>
 * </ul>
 * Refused: TSR-0446 not readable as a single-frame greyscale image (colour, several frames, no pixel data).
 */
public final class ProjectionImageReader {

    public ProjectionImage read(Path file) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new IOException("TSR-0446: " + file.getFileName() + " is not readable DICOM: " + e.getMessage(), e);
        }
        String photometric = Dcm.get(l, "PhotometricInterpretation").trim();
        int samples = intOr(l, "SamplesPerPixel", 1), frames = intOr(l, "NumberOfFrames", 1);
        int rows = intOr(l, "Rows", 0), cols = intOr(l, "Columns", 0);
        if (samples != 1 || !(photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2"))) {
            throw refused(file, "not greyscale (" + photometric + ", " + samples + " samples per pixel)");
        }
        if (frames != 1) throw refused(file, frames + " frames; one frame expected");
        Attribute px = l.get(Dcm.tag("PixelData"));
        if (px == null || rows <= 0 || cols <= 0) throw refused(file, "no pixel data");
        int bitsAllocated = intOr(l, "BitsAllocated", 16), bitsStored = intOr(l, "BitsStored", bitsAllocated);
        boolean signed = intOr(l, "PixelRepresentation", 0) == 1;
        int n = rows * cols;
        int[] stored = new int[n];
        try {
            if (bitsAllocated == 8) {
                byte[] b = px.getByteValues();
                if (b.length < n) throw refused(file, "pixel data shorter than " + rows + " x " + cols);
                for (int i = 0; i < n; i++) stored[i] = value(b[i] & 0xFF, bitsStored, signed);
            } else if (bitsAllocated == 16) {
                short[] s = px.getShortValues();
                if (s.length < n) throw refused(file, "pixel data shorter than " + rows + " x " + cols);
                for (int i = 0; i < n; i++) stored[i] = value(s[i] & 0xFFFF, bitsStored, signed);
            } else {
                throw refused(file, bitsAllocated + " bits allocated; 8 or 16 expected");
            }
        } catch (DicomException e) {
            throw refused(file, "pixel data unreadable: " + e.getMessage());
        }
        double slope = doubleOr(l, "RescaleSlope", 1), intercept = doubleOr(l, "RescaleIntercept", 0);
        boolean inverted = photometric.equals("MONOCHROME1");
        double lo = signed ? -(1 << (bitsStored - 1)) : 0, hi = signed ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
        double mirror = (lo + hi) * slope + 2 * intercept; // v' = lo' + hi' - v in modality units
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double v = stored[i] * slope + intercept;
            values[i] = (float) (inverted ? mirror - v : v);
        }
        double center = doubleOr(l, "WindowCenter", Double.NaN), width = doubleOr(l, "WindowWidth", Double.NaN);
        if (inverted && !Double.isNaN(center)) center = mirror - center;
        double[] spacing = doubles(l, "PixelSpacing");
        String source = "PixelSpacing";
        if (spacing.length < 2 || !(spacing[0] > 0 && spacing[1] > 0)) {
            spacing = doubles(l, "ImagerPixelSpacing");
            source = "ImagerPixelSpacing";
        }
        if (spacing.length < 2 || !(spacing[0] > 0 && spacing[1] > 0)) {
            spacing = new double[] {1, 1};
            source = "none";
        }
        return new ProjectionImage(SeriesReader.studyInfo(l), Dcm.get(l, "SeriesInstanceUID"), Dcm.get(l, "SeriesNumber"),
                Dcm.get(l, "SeriesDescription"), Dcm.get(l, "Modality"), Dcm.get(l, "BodyPartExamined"), Dcm.get(l, "SOPClassUID"),
                Dcm.get(l, "SOPInstanceUID"), cols, rows, values, spacing[0], spacing[1], source, center, width, inverted, file);
    }

    private static int value(int raw, int bitsStored, boolean signed) {
        int v = raw & ((1 << bitsStored) - 1);
        if (signed && (v & (1 << (bitsStored - 1))) != 0) v -= 1 << bitsStored;
        return v;
    }

    private static IOException refused(Path file, String why) {
        return new IOException("TSR-0446: " + file.getFileName() + " is not a single-frame greyscale image: " + why);
    }

    private static int intOr(AttributeList l, String kw, int dflt) {
        return Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag(kw), dflt);
    }

    private static double doubleOr(AttributeList l, String kw, double dflt) {
        double[] v = doubles(l, kw);
        return v.length == 0 ? dflt : v[0];
    }

    /** The attribute's numbers; none when absent or not numeric. */
    private static double[] doubles(AttributeList l, String kw) {
        try {
            double[] v = l.get(Dcm.tag(kw)) == null ? null : Dcm.doubles(l, kw);
            return v == null ? new double[0] : v;
        } catch (RuntimeException e) {
            return new double[0];
        }
    }
}
