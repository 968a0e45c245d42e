package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the grounding SEG: a binary Segmentation Storage instance in its own series of the source study with one
 * segment per located report finding ({@link GroundingSeg#segmented}). Built from the same modules as the organ SEG
 * ({@link SegWriter}); each segment has its own mask, so findings that share voxels are both kept in full.
 *
 * <p>Fails with {@code TSR-0231} when no finding is located (a SEG needs at least one segment) or a mask is not on
 * the source grid.
 */
public final class GroundingSegWriter {

    /**
     * @param source   the series the findings were grounded on (masks are on its grid)
     * @param findings all grounding results; only grounded, non-negated ones become segments, in list order
     * @param grounder the grounding method's identity (segment algorithm, Contributing Equipment)
     * @param spec     normally {@link GroundingSeg#spec}
     */
    public SegInfo write(SourceSeries source, List<GroundedFinding> findings, ModelIdentity grounder, SegSpec spec,
                         Path outFile) throws IOException {
        List<GroundedFinding> located = GroundingSeg.segmented(findings);
        if (located.isEmpty()) throw new IllegalArgumentException("TSR-0231: no located finding to write as a grounding SEG");
        List<LabelMap> masks = new ArrayList<>();
        for (GroundedFinding g : located) {
            if (!g.mask().grid().sameGeometry(source.volume().grid())) {
                throw new IllegalArgumentException("TSR-0231: the mask of finding '" + g.trackingId()
                        + "' is not on the source series grid");
            }
            if (!g.trackingUid().matches("[0-9]+(\\.[0-9]+)*") || g.trackingUid().length() > 64 || g.trackingId().isBlank()) {
                throw new IllegalArgumentException("TSR-0231: finding '" + g.trackingId() + "' needs a tracking ID and a"
                        + " valid tracking UID (digits and dots, at most 64), not '" + g.trackingUid() + "'");
            }
            masks.add(g.mask());
        }
        List<SegFrames.Frame> frames = MaskFrames.frames(masks);
        AttributeList l = new AttributeList();
        try {
            SegWriter.patientAndStudy(l, source);
            SegWriter.series(l, source, spec);
            SegWriter.equipment(l, spec, grounder, "AI report grounding by ");
            SegWriter.image(l, source, spec, frames.size());
            GroundingSegments.put(l, located, grounder);
            SegFunctionalGroups.put(l, source, frames);
            SegWriter.references(l, source);
            OtherByteAttribute px = new OtherByteAttribute(Dcm.tag("PixelData"));
            px.setValues(MaskFrames.pack(masks, frames));
            l.put(px);
            Dcm.writePart10(l, outFile);
        } catch (DicomException e) {
            throw new IOException("TSR-0230: cannot write grounding SEG: " + e.getMessage(), e);
        }
        return new SegInfo(SOPClass.SegmentationStorage, spec.sopInstanceUid(), spec.seriesInstanceUid(), frames.size());
    }
}
