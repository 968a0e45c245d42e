package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback for archives and viewers that cannot show a SEG: a Secondary Capture Image Storage series in the source
 * study, one RGB image per source slice that holds any segment, each a copy of that slice (windowed to 8 bits) with the
 * segment outlines in the segment colours and an "AI GENERATED - NOT FOR CLINICAL USE" banner burned into the pixels.
 *
 * <p>Only slices with a segment: a whole-series copy of a 300-slice CT would be ~230 MB of RGB per model and study,
 * and slices without an outline tell the reader nothing the source series does not. ImageType DERIVED\SECONDARY,
 * BurnedInAnnotation YES, SeriesDescription saying AI generated and not for clinical use; each image references its
 * source slice (Source Image Sequence, 121322) and the SEG's model in the SC Equipment. UIDs derive from the SEG
 * series ({@code Uids.derive(segSeries, "burned-in-sc-series")}, instance: {@code Uids.derive(scSeries, sourceSop)}),
 * so a redelivery sends the same objects.
 */
public final class BurnedInWriter {
    public static final String BANNER = "AI GENERATED - NOT FOR CLINICAL USE";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    /** One written image and the source slice it copies. */
    public record Instance(String sopInstanceUid, Path file, int sliceIndex, String sourceSopInstanceUid) {}

    public static String seriesUid(SegSpec spec) {
        return Uids.derive(spec.seriesInstanceUid(), "burned-in-sc-series");
    }

    /** Writes the series into {@code dir} as {@code <SOPInstanceUID>.dcm}; returns them in slice order (none if no segment has voxels). */
    public List<Instance> write(Segmentation seg, SegSpec spec, Path dir) throws IOException {
        SourceSeries src = seg.source();
        AttributeList firstHeader = header(src);
        BurnedInRenderer renderer = renderer(src, firstHeader);
        String series = seriesUid(spec);
        List<String> banner = banner(src.volume().grid().nx(), seg);
        LocalDateTime when = spec.contentDateTime() == null ? LocalDateTime.now() : spec.contentDateTime();
        Files.createDirectories(dir);
        List<Instance> out = new ArrayList<>();
        for (int k = 0; k < src.slices().size(); k++) {
            if (!BurnedInRenderer.hasSegment(seg.labels(), seg.segments(), k)) continue;
            SliceRef slice = src.slices().get(k);
            String sop = Uids.derive(series, slice.sopInstanceUid());
            AttributeList l = new AttributeList();
            try {
                if (firstHeader != null) StudyModules.copy(l, firstHeader);
                else StudyModules.put(l, src.study());
                series(l, spec, series, seg);
                image(l, slice, sop, out.size() + 1, when, seg);
                pixels(l, src, renderer.render(src.volume(), seg.labels(), seg.segments(), k, banner));
                Path file = dir.resolve(sop + ".dcm");
                Dcm.writePart10(l, file);
                out.add(new Instance(sop, file, k, slice.sopInstanceUid()));
            } catch (DicomException e) {
                throw new IOException("TSR-0234: cannot write the burned-in Secondary Capture: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The banner, and the model under it, wrapped to the image width. */
    static List<String> banner(int columns, Segmentation seg) {
        int maxChars = Math.max(1, columns / (BannerFont.ADVANCE * BurnedInRenderer.scale(columns)));
        List<String> lines = new ArrayList<>(BannerFont.wrap(BANNER, maxChars));
        lines.addAll(BannerFont.wrap((seg.model().name() + " " + seg.model().version()).toUpperCase(), maxChars));
        return lines;
    }

    private static AttributeList header(SourceSeries src) {
        Path first = src.slices().get(0).file();
        if (first == null || !Files.isReadable(first)) return null;
        try {
            return SeriesReader.readHeader(first);
        } catch (SeriesReadException e) {
            return null;
        }
    }

    /** The source's own window when it has one, else a soft-tissue window for CT, else the volume's range. */
    private static BurnedInRenderer renderer(SourceSeries src, AttributeList header) {
        if (header != null) {
            double c = Attribute.getSingleDoubleValueOrDefault(header, Dcm.tag("WindowCenter"), Double.NaN);
            double w = Attribute.getSingleDoubleValueOrDefault(header, Dcm.tag("WindowWidth"), Double.NaN);
            if (!Double.isNaN(c) && w >= 1) return new BurnedInRenderer(c, w);
        }
        if ("CT".equals(src.modality())) return new BurnedInRenderer(40, 400);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : src.volume().voxels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new BurnedInRenderer((min + max) / 2.0, Math.max(1, max - min));
    }

    private static void series(AttributeList l, SegSpec spec, String series, Segmentation seg) {
        Dcm.put(l, "SOPClassUID", SOPClass.SecondaryCaptureImageStorage);
        Dcm.put(l, "Modality", "OT");
        Dcm.put(l, "Laterality"); // type 2C in General Series; dciodvfy asks for it in SC (unlike SEG, where it is an error)
        Dcm.put(l, "SeriesInstanceUID", series);
        Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber() + 1));
        String d = "AI generated - NOT FOR CLINICAL USE - burned-in " + seg.model().name();
        Dcm.put(l, "SeriesDescription", d.length() > 64 ? d.substring(0, 64) : d);
        Dcm.put(l, "Manufacturer", spec.manufacturer());
        Dcm.put(l, "ConversionType", "WSD");
        Dcm.put(l, "SecondaryCaptureDeviceManufacturer", spec.manufacturer());
        Dcm.put(l, "SecondaryCaptureDeviceManufacturerModelName", seg.model().name());
        Dcm.put(l, "SecondaryCaptureDeviceSoftwareVersions", spec.softwareVersion(), seg.model().version());
    }

    private static void image(AttributeList l, SliceRef slice, String sop, int number, LocalDateTime when, Segmentation seg) {
        Dcm.put(l, "SOPInstanceUID", sop);
        Dcm.put(l, "InstanceNumber", Integer.toString(number));
        Dcm.put(l, "PatientOrientation");
        Dcm.put(l, "ContentDate", DATE.format(when));
        Dcm.put(l, "ContentTime", TIME.format(when));
        Dcm.put(l, "DateOfSecondaryCapture", DATE.format(when));
        Dcm.put(l, "TimeOfSecondaryCapture", TIME.format(when));
        Dcm.put(l, "ImageType", "DERIVED", "SECONDARY");
        Dcm.put(l, "BurnedInAnnotation", "YES");
        Dcm.put(l, "LossyImageCompression", "00");
        String how = "Segmentation outlines by " + seg.model().name() + " " + seg.model().version() + " burned in; AI generated";
        Dcm.put(l, "DerivationDescription", how.length() > 1024 ? how.substring(0, 1024) : how);
        Dcm.code(l, "DerivationCodeSequence", Codes.SEGMENTATION);
        AttributeList source = Dcm.item(Dcm.seq(l, "SourceImageSequence"));
        Dcm.put(source, "ReferencedSOPClassUID", slice.sopClassUid());
        Dcm.put(source, "ReferencedSOPInstanceUID", slice.sopInstanceUid());
        Dcm.code(source, "PurposeOfReferenceCodeSequence", Codes.SOURCE_IMAGE);
    }

    private static void pixels(AttributeList l, SourceSeries src, byte[] rgb) throws DicomException {
        Dcm.putInt(l, "SamplesPerPixel", 3);
        Dcm.put(l, "PhotometricInterpretation", "RGB");
        Dcm.putInt(l, "PlanarConfiguration", 0);
        Dcm.putInt(l, "Rows", src.volume().grid().ny());
        Dcm.putInt(l, "Columns", src.volume().grid().nx());
        Dcm.putInt(l, "BitsAllocated", 8);
        Dcm.putInt(l, "BitsStored", 8);
        Dcm.putInt(l, "HighBit", 7);
        Dcm.putInt(l, "PixelRepresentation", 0);
        OtherByteAttribute px = new OtherByteAttribute(Dcm.tag("PixelData"));
        px.setValues(rgb.length % 2 == 0 ? rgb : java.util.Arrays.copyOf(rgb, rgb.length + 1));
        l.put(px);
    }
}
