package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import io.tessera.core.FrameStack;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.SegmentLabel;
import io.tessera.core.SourceSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a binary SEG onto a source series' grid, independently of {@link SegWriter}: each frame is placed by its
 * referenced source SOP instance (and frame number, for a multi-frame source), or failing that by its Image Position
 * Patient matching a source frame's within 0.01 mm.
 * Used by tests to compare results with truth (Dice) and by tools that import SEGs.
 */
public final class SegReader {
    static final double POSITION_TOLERANCE_MM = 0.01;

    /** Labels = segment numbers. */
    public LabelMap readOnto(Path segFile, SourceSeries source) throws IOException {
        return readOnto(segFile, source, null);
    }

    /**
     * Labels = the value of the {@code labels} entry whose type code matches the segment's (scheme and value), else the
     * entry at the segment's position (segment n → labels[n-1]), else the segment number.
     */
    public LabelMap readOnto(Path segFile, SourceSeries source, List<SegmentLabel> labels) throws IOException {
        AttributeList l = read(segFile);
        Grid g = source.volume().grid();
        int rows = intOf(l, "Rows"), cols = intOf(l, "Columns"), frames = intOf(l, "NumberOfFrames");
        if (rows != g.ny() || cols != g.nx()) {
            throw new IOException("TSR-0254: SEG frames are " + rows + "x" + cols + " but the source slices "
                    + g.ny() + "x" + g.nx());
        }
        if (!"1".equals(Dcm.get(l, "BitsAllocated"))) throw new IOException("TSR-0254: only BINARY SEGs can be read");
        Map<Integer, Integer> valueOf = labelValues(segments(l), labels);
        Map<String, Integer> sliceOfSop = new HashMap<>(); // key: SOP Instance UID, plus "#frame" for a multi-frame source
        for (int k = 0; k < source.slices().size(); k++) sliceOfSop.put(key(source.slices().get(k).sopInstanceUid(),
                source.slices().get(k).frameNumber()), k);
        byte[] bits;
        try {
            bits = l.getPixelData().getByteValues();
        } catch (DicomException e) {
            throw new IOException("TSR-0254: cannot read SEG pixel data: " + e.getMessage(), e);
        }
        SequenceAttribute perFrame = Dcm.getSeq(l, "PerFrameFunctionalGroupsSequence");
        if (perFrame == null || perFrame.getNumberOfItems() != frames) {
            throw new IOException("TSR-0254: Per-frame Functional Groups do not match Number of Frames " + frames);
        }
        LabelMap out = LabelMap.empty(g);
        FrameStack stack = FrameStack.of(source);
        int plane = rows * cols;
        for (int f = 0; f < frames; f++) {
            AttributeList item = perFrame.getItem(f).getAttributeList();
            int segment = Integer.parseInt(Dcm.get(Dcm.firstItem(item, "SegmentIdentificationSequence"),
                    "ReferencedSegmentNumber"));
            int k = sliceOf(item, sliceOfSop, stack);
            byte value = (byte) (int) valueOf.getOrDefault(segment, segment);
            long bit = (long) f * plane;
            int base = k * plane;
            for (int p = 0; p < plane; p++, bit++) {
                if ((bits[(int) (bit >>> 3)] >> (bit & 7) & 1) != 0) out.labels()[base + p] = value;
            }
        }
        return out;
    }

    private static String key(String sop, int frameNumber) {
        return frameNumber > 0 ? sop + "#" + frameNumber : sop;
    }

    /** One SEG frame's segment, source image (frame number 0 when none is referenced) and Image Position (Patient). */
    public record FrameReference(int segmentNumber, String sourceSopInstanceUid, int sourceFrameNumber,
                                 String imagePositionPatient) {}

    /** Per frame, in frame order: what the SEG says the frame was derived from and where it lies. */
    public List<FrameReference> frameReferences(Path segFile) throws IOException {
        AttributeList l = read(segFile);
        SequenceAttribute perFrame = Dcm.getSeq(l, "PerFrameFunctionalGroupsSequence");
        List<FrameReference> out = new ArrayList<>();
        if (perFrame == null) return out;
        for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
            AttributeList item = perFrame.getItem(f).getAttributeList();
            AttributeList derivation = Dcm.firstItem(item, "DerivationImageSequence");
            AttributeList source = derivation == null ? null : Dcm.firstItem(derivation, "SourceImageSequence");
            AttributeList position = Dcm.firstItem(item, "PlanePositionSequence");
            AttributeList segment = Dcm.firstItem(item, "SegmentIdentificationSequence");
            String frame = source == null ? "" : Dcm.get(source, "ReferencedFrameNumber");
            out.add(new FrameReference(segment == null ? 0 : Integer.parseInt(Dcm.get(segment, "ReferencedSegmentNumber")),
                    source == null ? null : Dcm.get(source, "ReferencedSOPInstanceUID"), frame.isEmpty() ? 0 : Integer.parseInt(frame),
                    position == null ? null : Dcm.get(position, "ImagePositionPatient")));
        }
        return out;
    }

    /** The segments the SEG describes, in Segment Sequence order. */
    public List<SegSegment> segments(Path segFile) throws IOException {
        return segments(read(segFile));
    }

    private static List<SegSegment> segments(AttributeList l) {
        List<SegSegment> out = new ArrayList<>();
        SequenceAttribute seq = Dcm.getSeq(l, "SegmentSequence");
        if (seq == null) return out;
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            AttributeList s = seq.getItem(i).getAttributeList();
            out.add(new SegSegment(Integer.parseInt(Dcm.get(s, "SegmentNumber")), Dcm.get(s, "SegmentLabel"),
                    code(s, "SegmentedPropertyCategoryCodeSequence"), code(s, "SegmentedPropertyTypeCodeSequence"),
                    Dcm.get(s, "SegmentAlgorithmType"), Dcm.get(s, "SegmentAlgorithmName")));
        }
        return out;
    }

    private static Map<Integer, Integer> labelValues(List<SegSegment> segments, List<SegmentLabel> labels) {
        Map<Integer, Integer> out = new HashMap<>();
        if (labels == null) return out;
        for (int i = 0; i < segments.size(); i++) {
            SegSegment s = segments.get(i);
            SegmentLabel match = null;
            for (SegmentLabel label : labels) {
                if (s.type() != null && label.type().scheme().equals(s.type().scheme())
                        && label.type().value().equals(s.type().value())) {
                    match = label;
                    break;
                }
            }
            if (match == null && s.number() >= 1 && s.number() <= labels.size()) match = labels.get(s.number() - 1);
            if (match != null) out.put(s.number(), match.value());
        }
        return out;
    }

    private static int sliceOf(AttributeList frame, Map<String, Integer> sliceOfSop, FrameStack frames) throws IOException {
        AttributeList derivation = Dcm.firstItem(frame, "DerivationImageSequence");
        AttributeList source = derivation == null ? null : Dcm.firstItem(derivation, "SourceImageSequence");
        if (source != null) {
            String number = Dcm.get(source, "ReferencedFrameNumber");
            Integer k = sliceOfSop.get(key(Dcm.get(source, "ReferencedSOPInstanceUID"), number.isEmpty() ? 0 : Integer.parseInt(number)));
            if (k != null) return k;
        }
        AttributeList position = Dcm.firstItem(frame, "PlanePositionSequence");
        double[] ipp = position == null ? null : Dcm.doubles(position, "ImagePositionPatient");
        if (ipp == null || ipp.length != 3) throw new IOException("TSR-0255: a SEG frame has neither a known source image nor a position");
        // each source frame's own position (exact for unevenly spaced or tilted stacks, where the grid is not)
        for (int k = 0; k < frames.frames(); k++) {
            double[] p = frames.toPatient(0, 0, k);
            if (Math.abs(p[0] - ipp[0]) <= POSITION_TOLERANCE_MM && Math.abs(p[1] - ipp[1]) <= POSITION_TOLERANCE_MM
                    && Math.abs(p[2] - ipp[2]) <= POSITION_TOLERANCE_MM) {
                return k;
            }
        }
        throw new IOException("TSR-0255: a SEG frame lies between or outside the source slices");
    }

    private static Code code(AttributeList item, String keyword) {
        AttributeList c = Dcm.firstItem(item, keyword);
        return c == null ? null : new Code(Dcm.get(c, "CodingSchemeDesignator"), Dcm.get(c, "CodeValue"), Dcm.get(c, "CodeMeaning"));
    }

    private static int intOf(AttributeList l, String kw) throws IOException {
        String s = Dcm.get(l, kw);
        if (s.isEmpty()) throw new IOException("TSR-0254: SEG lacks " + kw);
        return Integer.parseInt(s);
    }

    private static AttributeList read(Path f) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(f.toFile());
        } catch (DicomException | RuntimeException e) {
            throw new IOException("TSR-0253: cannot read " + f.getFileName() + " as DICOM: " + e.getMessage(), e);
        }
        if (!com.pixelmed.dicom.SOPClass.SegmentationStorage.equals(Dcm.get(l, "SOPClassUID"))) {
            throw new IOException("TSR-0253: " + f.getFileName() + " is not a Segmentation Storage instance");
        }
        return l;
    }
}
