package io.tessera.dicomio;

import static io.tessera.dicomio.SrContent.CONTAINS;
import static io.tessera.dicomio.SrContent.HAS_CONCEPT_MOD;
import static io.tessera.dicomio.SrContent.HAS_OBS_CONTEXT;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;

/**
 * The measurements of one prompted region (a box or clicks on one frame, segmented by a promptable model) as a
 * Comprehensive 3D SR, TID 1500: the model as device observer, the prompted image in the image library, and one
 * TID 1411 group pointing at the region's SEG segment, with its Area in mm² and its longest Diameter in mm (the
 * frame's Pixel Spacing, or Imager Pixel Spacing on a radiograph), the model and the prompt as TID 4019 algorithm
 * identification. The group's tracking UID is the SEG segment's, so SEG, SR and FHIR name one region.
 */
public final class PromptedRegionReportWriter {
    /** A prompted region's measurements and how it was made ({@code prompt}: e.g. "box 10,12,40,44 on frame 1"). */
    public record Region(SliceRef image, double areaMm2, double maxDiameterMm, double predictedIou, String prompt) {}

    /** The finding a prompted region is: a structure a reader pointed at, named no further. */
    public static final Code FINDING = Code.sct("52988006", "Lesion");

    public SrInfo write(SourceSeries source, ModelIdentity model, SegInfo seg, Region region, SrSpec spec, Path outFile)
            throws IOException {
        AttributeList l = new AttributeList();
        try {
            SegWriter.patientAndStudy(l, source);
            MeasurementReportWriter.header(l, source, spec);
            AttributeList study = Dcm.item(Dcm.seq(l, "CurrentRequestedProcedureEvidenceSequence"));
            Dcm.put(study, "StudyInstanceUID", source.study().studyInstanceUid());
            SequenceAttribute series = Dcm.seq(study, "ReferencedSeriesSequence");
            AttributeList src = Dcm.item(series);
            Dcm.put(src, "SeriesInstanceUID", source.seriesInstanceUid());
            MeasurementReportWriter.sop(Dcm.seq(src, "ReferencedSOPSequence"), region.image().sopClassUid(), region.image().sopInstanceUid());
            AttributeList segItem = Dcm.item(series);
            Dcm.put(segItem, "SeriesInstanceUID", seg.seriesInstanceUid());
            MeasurementReportWriter.sop(Dcm.seq(segItem, "ReferencedSOPSequence"), seg.sopClassUid(), seg.sopInstanceUid());
            ClassificationReportWriter.modelReportRoot(l, model, spec);
            AttributeList library = SrContent.container(l, CONTAINS, SrCodes.IMAGE_LIBRARY, null);
            AttributeList group = SrContent.container(library, CONTAINS, SrCodes.IMAGE_LIBRARY_GROUP, null);
            Code modality = SrCodes.modality(source.modality());
            if (modality != null) SrContent.code(group, SrContent.HAS_ACQ_CONTEXT, SrCodes.MODALITY, modality);
            SrContent.image(group, CONTAINS, null, region.image().sopClassUid(), region.image().sopInstanceUid(), 0);
            AttributeList measurements = SrContent.container(l, CONTAINS, SrCodes.IMAGING_MEASUREMENTS, null);
            AttributeList g = SrContent.container(measurements, CONTAINS, SrCodes.MEASUREMENT_GROUP, "1411");
            SrContent.text(g, HAS_OBS_CONTEXT, SrCodes.TRACKING_IDENTIFIER, "prompted region");
            SrContent.uidref(g, HAS_OBS_CONTEXT, SrCodes.TRACKING_UID, trackingUid(seg));
            SrContent.text(g, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_NAME, FindingCodes.text(model.name(), 64));
            SrContent.text(g, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_VERSION, FindingCodes.text(model.version(), 64));
            SrContent.text(g, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_PARAMETERS, FindingCodes.text(String.format(java.util.Locale.ROOT,
                    "method=promptable segmentation; prompt=%s; predicted IoU=%.3f", region.prompt(), region.predictedIou()), 1024));
            SrContent.code(g, CONTAINS, SrCodes.FINDING, FINDING);
            SrContent.image(g, CONTAINS, SrCodes.REFERENCED_SEGMENT, seg.sopClassUid(), seg.sopInstanceUid(), 1);
            SrContent.uidref(g, CONTAINS, SrCodes.SOURCE_SERIES_FOR_SEGMENTATION, source.seriesInstanceUid());
            SrContent.num(g, CONTAINS, SrCodes.AREA, round(region.areaMm2(), 1), SrCodes.MM2);
            AttributeList d = SrContent.num(g, CONTAINS, SrCodes.DIAMETER, round(region.maxDiameterMm(), 1), SrCodes.MM);
            SrContent.code(d, HAS_CONCEPT_MOD, SrCodes.DERIVATION, SrCodes.MAXIMUM);
            Dcm.writePart10(l, outFile);
        } catch (DicomException e) {
            throw new IOException("TSR-0238: cannot write prompted region SR: " + e.getMessage(), e);
        }
        return new SrInfo(SrInfo.COMPREHENSIVE_3D_SR, spec.sopInstanceUid(), spec.seriesInstanceUid(), 1);
    }

    /** The region's tracking UID: its SEG segment's (segment 1), which the FHIR Observation's identifier repeats. */
    public static String trackingUid(SegInfo seg) {
        return Uids.segmentTrackingUid(seg.sopInstanceUid(), 1);
    }

    /** Half up, one decimal: the FHIR Observation rounds the same way. */
    public static double round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
