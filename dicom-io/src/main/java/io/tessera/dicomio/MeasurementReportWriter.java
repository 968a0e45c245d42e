package io.tessera.dicomio;

import static io.tessera.dicomio.SrContent.CONTAINS;
import static io.tessera.dicomio.SrContent.HAS_ACQ_CONTEXT;
import static io.tessera.dicomio.SrContent.HAS_CONCEPT_MOD;
import static io.tessera.dicomio.SrContent.HAS_OBS_CONTEXT;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a Comprehensive 3D SR with a TID 1500 "Imaging Measurement Report": language, device observer
 * (the grounder, same Device UID as the SEG and the FHIR Device), procedure reported, an image library of the source
 * series, Imaging Measurements with one TID 1411 group per located finding and per non-empty organ segment, and a
 * Qualitative Evaluations container listing the findings the report states but that could not be located (with the
 * reason). Negated findings are left out: they describe nothing in the image. VerificationFlag UNVERIFIED.
 */
public final class MeasurementReportWriter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    public SrInfo write(MeasurementReport report, SrSpec spec, Path outFile) throws IOException {
        SourceSeries src = report.source();
        AttributeList l = new AttributeList();
        int groups;
        try {
            SegWriter.patientAndStudy(l, src);
            header(l, src, spec);
            evidence(l, report);
            Dcm.put(l, "ValueType", "CONTAINER");
            Dcm.code(l, "ConceptNameCodeSequence", SrCodes.IMAGING_MEASUREMENT_REPORT);
            Dcm.put(l, "ContinuityOfContent", "SEPARATE");
            SrContent.template(l, "1500");
            context(l, report, spec);
            imageLibrary(l, src);
            // TID 1500 needs Imaging Measurements or Qualitative Evaluations, and a container may not be empty.
            AttributeList measurements = new AttributeList();
            groups = MeasurementGroups.put(measurements, report);
            if (groups > 0) {
                SrContent.container(l, CONTAINS, SrCodes.IMAGING_MEASUREMENTS, null)
                        .put(Dcm.getSeq(measurements, "ContentSequence"));
            }
            notLocated(l, report.findings(), groups == 0);
            Dcm.writePart10(l, outFile);
        } catch (DicomException e) {
            throw new IOException("TSR-0233: cannot write measurement report SR: " + e.getMessage(), e);
        }
        return new SrInfo(SrInfo.COMPREHENSIVE_3D_SR, spec.sopInstanceUid(), spec.seriesInstanceUid(), groups);
    }

    /** SOP Common, SR Document Series, General Equipment and SR Document General (less evidence). */
    static void header(AttributeList l, SourceSeries src, SrSpec spec) {
        LocalDateTime when = spec.contentDateTime() == null ? LocalDateTime.now() : spec.contentDateTime();
        Dcm.put(l, "SOPClassUID", SrInfo.COMPREHENSIVE_3D_SR);
        Dcm.put(l, "SOPInstanceUID", spec.sopInstanceUid());
        Dcm.put(l, "Modality", "SR");
        Dcm.put(l, "SeriesInstanceUID", spec.seriesInstanceUid());
        Dcm.put(l, "SeriesNumber", Integer.toString(spec.seriesNumber()));
        if (spec.seriesDescription() != null) Dcm.put(l, "SeriesDescription", spec.seriesDescription());
        Dcm.seq(l, "ReferencedPerformedProcedureStepSequence");
        Dcm.put(l, "Manufacturer", spec.manufacturer());
        Dcm.put(l, "DeviceSerialNumber", spec.deviceSerialNumber());
        Dcm.put(l, "SoftwareVersions", SegSpec.TESSERA_VERSION);
        Dcm.put(l, "InstanceNumber", Integer.toString(spec.instanceNumber()));
        Dcm.put(l, "ContentDate", DATE.format(when));
        Dcm.put(l, "ContentTime", TIME.format(when));
        // An AI result nobody has checked: complete as a document, but unverified.
        Dcm.put(l, "CompletionFlag", "COMPLETE");
        Dcm.put(l, "VerificationFlag", "UNVERIFIED");
        Dcm.seq(l, "PerformedProcedureCodeSequence");
    }

    /** Current Requested Procedure Evidence: the source series and every SEG the report points at. */
    private static void evidence(AttributeList l, MeasurementReport r) {
        SourceSeries src = r.source();
        AttributeList study = Dcm.item(Dcm.seq(l, "CurrentRequestedProcedureEvidenceSequence"));
        Dcm.put(study, "StudyInstanceUID", src.study().studyInstanceUid());
        SequenceAttribute series = Dcm.seq(study, "ReferencedSeriesSequence");
        AttributeList source = Dcm.item(series);
        Dcm.put(source, "SeriesInstanceUID", src.seriesInstanceUid());
        SequenceAttribute sops = Dcm.seq(source, "ReferencedSOPSequence");
        for (SliceRef s : src.slices()) sop(sops, s.sopClassUid(), s.sopInstanceUid());
        for (SegInfo seg : new SegInfo[] {r.groundingSeg(), r.organSeg()}) {
            if (seg == null) continue;
            AttributeList item = Dcm.item(series);
            Dcm.put(item, "SeriesInstanceUID", seg.seriesInstanceUid());
            sop(Dcm.seq(item, "ReferencedSOPSequence"), seg.sopClassUid(), seg.sopInstanceUid());
        }
    }

    static void sop(SequenceAttribute seq, String sopClass, String sopInstance) {
        AttributeList i = Dcm.item(seq);
        Dcm.put(i, "ReferencedSOPClassUID", sopClass);
        Dcm.put(i, "ReferencedSOPInstanceUID", sopInstance);
    }

    /** TID 1204 language, TID 1002/1004 device observer, procedure reported. */
    private static void context(AttributeList root, MeasurementReport r, SrSpec spec) {
        SrContent.code(root, HAS_CONCEPT_MOD, SrCodes.LANGUAGE, SrCodes.ENGLISH_US);
        SrContent.code(root, HAS_OBS_CONTEXT, SrCodes.OBSERVER_TYPE, SrCodes.DEVICE);
        SrContent.uidref(root, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_UID, spec.deviceUid());
        SrContent.text(root, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_NAME, FindingCodes.text(r.grounder().name(), 64));
        SrContent.text(root, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MANUFACTURER, spec.manufacturer());
        SrContent.text(root, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MODEL_NAME,
                FindingCodes.text(r.grounder().displayName(), 64));
        SrContent.text(root, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_SERIAL, spec.deviceSerialNumber());
        SrContent.code(root, HAS_CONCEPT_MOD, SrCodes.PROCEDURE_REPORTED, SrCodes.IMAGING_PROCEDURE);
    }

    /** TID 1600: one group for the source series, its modality and frame of reference, and each source image. */
    static void imageLibrary(AttributeList root, SourceSeries src) {
        AttributeList library = SrContent.container(root, CONTAINS, SrCodes.IMAGE_LIBRARY, null);
        AttributeList group = SrContent.container(library, CONTAINS, SrCodes.IMAGE_LIBRARY_GROUP, null);
        Code modality = SrCodes.modality(src.modality());
        if (modality != null) SrContent.code(group, HAS_ACQ_CONTEXT, SrCodes.MODALITY, modality);
        if (src.frameOfReferenceUid() != null && !src.frameOfReferenceUid().isEmpty()) {
            SrContent.uidref(group, HAS_ACQ_CONTEXT, SrCodes.FRAME_OF_REFERENCE_UID, src.frameOfReferenceUid());
        }
        for (SliceRef s : src.slices()) SrContent.image(group, CONTAINS, null, s.sopClassUid(), s.sopInstanceUid(), 0);
    }

    /** Findings the report states but that were not located: said so in words, never given a region. */
    private static void notLocated(AttributeList root, List<GroundedFinding> findings, boolean nothingMeasured) {
        List<GroundedFinding> missing = FindingCodes.notLocated(findings);
        if (missing.isEmpty() && !nothingMeasured) return;
        AttributeList qe = SrContent.container(root, CONTAINS, SrCodes.QUALITATIVE_EVALUATIONS, null);
        if (missing.isEmpty()) {
            SrContent.text(qe, CONTAINS, SrCodes.FINDING, "No finding stated in the report was located in the image.");
        }
        for (GroundedFinding g : missing) {
            SrContent.text(qe, CONTAINS, SrCodes.FINDING, FindingCodes.text(FindingCodes.label(g.finding())
                    + " (report: \"" + g.finding().phrase() + "\"): not located in the image - " + g.reason(), 1024));
        }
    }
}
