package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Grid;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import java.util.List;

/** Shared (orientation, pixel measures) and per-frame (derivation, content, position, segment) functional groups. */
final class SegFunctionalGroups {
    private SegFunctionalGroups() {}

    static void put(AttributeList l, SourceSeries src, List<SegFrames.Frame> frames) {
        Grid g = src.volume().grid();
        // Plane Orientation and Position are required only with a Frame of Reference (PS3.3 C.8.20.3): a projection
        // radiograph's SEG has neither, and its frames are placed by their source image alone
        boolean patientSpace = SegWriter.hasFrameOfReference(src);
        AttributeList shared = Dcm.item(Dcm.seq(l, "SharedFunctionalGroupsSequence"));
        if (patientSpace) {
            AttributeList orientation = Dcm.item(Dcm.seq(shared, "PlaneOrientationSequence"));
            double[] d = g.direction();
            Dcm.put(orientation, "ImageOrientationPatient",
                    Dcm.ds(d[0]), Dcm.ds(d[1]), Dcm.ds(d[2]), Dcm.ds(d[3]), Dcm.ds(d[4]), Dcm.ds(d[5]));
        }
        AttributeList measures = Dcm.item(Dcm.seq(shared, "PixelMeasuresSequence"));
        if (src.pixelSpacing() != null && !src.pixelSpacing().isEmpty()) {
            Dcm.putDelimited(measures, "PixelSpacing", src.pixelSpacing());
        } else {
            Dcm.put(measures, "PixelSpacing", Dcm.ds(g.spacing()[1]), Dcm.ds(g.spacing()[0]));
        }
        if (patientSpace) {
            Dcm.put(measures, "SliceThickness", Dcm.ds(g.spacing()[2]));
            Dcm.put(measures, "SpacingBetweenSlices", Dcm.ds(g.spacing()[2]));
        }

        SequenceAttribute perFrame = Dcm.seq(l, "PerFrameFunctionalGroupsSequence");
        for (SegFrames.Frame f : frames) {
            SliceRef slice = src.slices().get(f.k());
            AttributeList item = Dcm.item(perFrame);
            AttributeList derivation = Dcm.item(Dcm.seq(item, "DerivationImageSequence"));
            AttributeList source = Dcm.item(Dcm.seq(derivation, "SourceImageSequence"));
            Dcm.put(source, "ReferencedSOPClassUID", slice.sopClassUid());
            Dcm.put(source, "ReferencedSOPInstanceUID", slice.sopInstanceUid());
            // a frame of a multi-frame source (Enhanced CT/MR) is named by number, or viewers cannot place the SEG frame
            if (slice.isFrameOfMultiFrame()) Dcm.putInt(source, "ReferencedFrameNumber", slice.frameNumber());
            Dcm.code(source, "PurposeOfReferenceCodeSequence", Codes.SOURCE_IMAGE);
            Dcm.code(derivation, "DerivationCodeSequence", Codes.SEGMENTATION);
            if (!patientSpace) {
                Dcm.putInt(Dcm.item(Dcm.seq(item, "FrameContentSequence")), "DimensionIndexValues", f.segmentNumber());
            } else {
                Dcm.putInt(Dcm.item(Dcm.seq(item, "FrameContentSequence")), "DimensionIndexValues", f.segmentNumber(), f.k() + 1);
                AttributeList position = Dcm.item(Dcm.seq(item, "PlanePositionSequence"));
                if (slice.imagePositionPatient() != null && !slice.imagePositionPatient().isEmpty()) {
                    Dcm.putDelimited(position, "ImagePositionPatient", slice.imagePositionPatient());
                } else {
                    double[] p = g.toPatient(0, 0, f.k());
                    Dcm.put(position, "ImagePositionPatient", Dcm.ds(p[0]), Dcm.ds(p[1]), Dcm.ds(p[2]));
                }
            }
            Dcm.putInt(Dcm.item(Dcm.seq(item, "SegmentIdentificationSequence")), "ReferencedSegmentNumber", f.segmentNumber());
        }
    }
}
