package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a {@link Segmentation} as a binary DICOM Segmentation Storage instance (docs/design.md, "SEG choices"): a
 * new series in the source study with Patient/Study copied from the first source file, the source Frame of Reference,
 * every source instance referenced, shared Plane Orientation and Pixel Measures, per-frame derivation, position and
 * segment, empty frames omitted. Modules are built explicitly, never copied from the CT header: a copied header
 * carries attributes SEG does not allow (the CT's empty Laterality is an error in a SEG).
 *
 * <p>A segmentation without any voxel is still written as a valid object with one empty frame (segment 1, slice 0).
 */
public final class SegWriter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    public SegInfo write(Segmentation seg, SegSpec spec, Path outFile) throws IOException {
        if (seg.segments().isEmpty()) throw new IllegalArgumentException("a SEG needs at least one segment");
        SourceSeries src = seg.source();
        List<SegFrames.Frame> frames = SegFrames.frames(seg.labels(), seg.segments());
        AttributeList l = new AttributeList();
        try {
            patientAndStudy(l, src);
            series(l, src, spec);
            equipment(l, spec, seg.model(), "AI segmentation by ");
            image(l, src, spec, frames.size());
            SegSegments.put(l, seg, spec);
            SegFunctionalGroups.put(l, src, frames);
            references(l, src);
            OtherByteAttribute px = new OtherByteAttribute(Dcm.tag("PixelData"));
            px.setValues(SegFrames.pack(seg.labels(), frames));
            l.put(px);
            Dcm.writePart10(l, outFile);
        } catch (DicomException e) {
            throw new IOException("TSR-0230: cannot write SEG: " + e.getMessage(), e);
        }
        return new SegInfo(SOPClass.SegmentationStorage, spec.sopInstanceUid(), spec.seriesInstanceUid(), frames.size());
    }

    /** Copied from the first source file when it can be read (exact values), otherwise built from the StudyInfo. */
    static void patientAndStudy(AttributeList l, SourceSeries src) throws DicomException {
        Path first = src.slices().get(0).file();
        if (first != null && Files.isReadable(first)) {
            try {
                StudyModules.copy(l, SeriesReader.readHeader(first));
                return;
            } catch (SeriesReadException e) {
                // fall through: the StudyInfo carries the same identity
            }
        }
        StudyModules.put(l, src.study());
    }

    static void series(AttributeList l, SourceSeries src, SegSpec spec) {
        Dcm.put(l, "SOPClassUID", SOPClass.SegmentationStorage);
        Dcm.put(l, "SOPInstanceUID", spec.sopInstanceUid());
        Dcm.put(l, "Modality", "SEG");
        Dcm.put(l, "SeriesInstanceUID", spec.seriesInstanceUid());
        Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber()));
        if (spec.seriesDescription() != null) Dcm.put(l, "SeriesDescription", spec.seriesDescription());
        if (src.bodyPartExamined() != null && !src.bodyPartExamined().isEmpty()) {
            Dcm.put(l, "BodyPartExamined", src.bodyPartExamined());
        }
        // a projection image (CR, DX) has no frame of reference: then neither has its SEG, nor plane positions
        if (hasFrameOfReference(src)) {
            Dcm.put(l, "FrameOfReferenceUID", src.frameOfReferenceUid());
            Dcm.put(l, "PositionReferenceIndicator");
        }
    }

    /** True when the source images share a patient coordinate system (not true of a projection radiograph). */
    static boolean hasFrameOfReference(SourceSeries src) {
        return src.frameOfReferenceUid() != null && !src.frameOfReferenceUid().isEmpty();
    }

    /** General and Enhanced General Equipment plus Contributing Equipment; {@code role} starts its description. */
    static void equipment(AttributeList l, SegSpec spec, ModelIdentity modelIdentity, String role) {
        String model = modelIdentity.name();
        Dcm.put(l, "Manufacturer", spec.manufacturer());
        Dcm.put(l, "ManufacturerModelName", model);
        Dcm.put(l, "DeviceSerialNumber", spec.deviceSerialNumber());
        Dcm.put(l, "SoftwareVersions", spec.softwareVersion(), modelIdentity.version());
        // IHE AIR: the model is contributing equipment that processed the source images.
        AttributeList ce = Dcm.item(Dcm.seq(l, "ContributingEquipmentSequence"));
        Dcm.code(ce, "PurposeOfReferenceCodeSequence", Codes.PROCESSING_EQUIPMENT);
        Dcm.put(ce, "Manufacturer", spec.manufacturer());
        Dcm.put(ce, "ManufacturerModelName", model);
        Dcm.put(ce, "SoftwareVersions", modelIdentity.version());
        Dcm.put(ce, "DeviceSerialNumber", spec.deviceSerialNumber());
        Dcm.put(ce, "DeviceUID", spec.deviceUid());
        Dcm.put(ce, "ContributionDescription", role + modelIdentity.displayName());
    }

    static void image(AttributeList l, SourceSeries src, SegSpec spec, int frames) {
        LocalDateTime when = spec.contentDateTime() == null ? LocalDateTime.now() : spec.contentDateTime();
        Dcm.put(l, "InstanceNumber", Integer.toString(spec.instanceNumber()));
        Dcm.put(l, "ContentDate", DATE.format(when));
        Dcm.put(l, "ContentTime", TIME.format(when));
        Dcm.put(l, "ContentLabel", spec.contentLabel());
        Dcm.put(l, "ContentDescription", Dcm.nz(spec.seriesDescription()));
        Dcm.put(l, "ContentCreatorName", Dcm.nz(spec.contentCreatorName()));
        Dcm.put(l, "ImageType", "DERIVED", "PRIMARY");
        // Type 2C without plane orientation: a projection's rows and columns in patient terms, unknown here (empty)
        if (!hasFrameOfReference(src)) Dcm.put(l, "PatientOrientation");
        Dcm.putInt(l, "SamplesPerPixel", 1);
        Dcm.put(l, "PhotometricInterpretation", "MONOCHROME2");
        Dcm.putInt(l, "Rows", src.volume().grid().ny());
        Dcm.putInt(l, "Columns", src.volume().grid().nx());
        Dcm.putInt(l, "BitsAllocated", 1);
        Dcm.putInt(l, "BitsStored", 1);
        Dcm.putInt(l, "HighBit", 0);
        Dcm.putInt(l, "PixelRepresentation", 0);
        Dcm.put(l, "LossyImageCompression", "00");
        Dcm.put(l, "SegmentationType", "BINARY");
        Dcm.put(l, "NumberOfFrames", Integer.toString(frames));
        // Dimension organisation: segment number, then position
        String dimOrg = Uids.derive(spec.sopInstanceUid(), "dimension-organization");
        Dcm.put(Dcm.item(Dcm.seq(l, "DimensionOrganizationSequence")), "DimensionOrganizationUID", dimOrg);
        SequenceAttribute dims = Dcm.seq(l, "DimensionIndexSequence");
        dimension(Dcm.item(dims), dimOrg, "ReferencedSegmentNumber", "SegmentIdentificationSequence", "Segment number");
        if (hasFrameOfReference(src)) dimension(Dcm.item(dims), dimOrg, "ImagePositionPatient", "PlanePositionSequence", "Image position");
    }

    private static void dimension(AttributeList item, String dimOrg, String pointer, String group, String label) {
        Dcm.put(item, "DimensionOrganizationUID", dimOrg);
        Dcm.putTag(item, "DimensionIndexPointer", pointer);
        Dcm.putTag(item, "FunctionalGroupPointer", group);
        Dcm.put(item, "DimensionDescriptionLabel", label);
    }

    /** Referenced Series Sequence listing every source instance, so viewers attach the SEG to its series. */
    static void references(AttributeList l, SourceSeries src) {
        AttributeList series = Dcm.item(Dcm.seq(l, "ReferencedSeriesSequence"));
        Dcm.put(series, "SeriesInstanceUID", src.seriesInstanceUid());
        SequenceAttribute instances = Dcm.seq(series, "ReferencedInstanceSequence");
        java.util.Set<String> listed = new java.util.HashSet<>(); // the frames of a multi-frame source share one instance
        for (SliceRef s : src.slices()) {
            if (!listed.add(s.sopInstanceUid())) continue;
            AttributeList i = Dcm.item(instances);
            Dcm.put(i, "ReferencedSOPClassUID", s.sopClassUid());
            Dcm.put(i, "ReferencedSOPInstanceUID", s.sopInstanceUid());
        }
    }
}
