package io.tessera.dicomio;

import static io.tessera.dicomio.SrContent.CONTAINS;
import static io.tessera.dicomio.SrContent.HAS_CONCEPT_MOD;
import static io.tessera.dicomio.SrContent.HAS_OBS_CONTEXT;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Classification;
import io.tessera.core.ClassifiedLabel;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a classifier's answer on one image as a Comprehensive 3D SR with a TID 1500 Imaging Measurement Report:
 * the same header, device observer (the model, same Device UID as the FHIR Device) and image library as the grounding
 * report, and under Imaging Measurements one TID 1501 Measurement and Qualitative Evaluation group per label:
 * tracking identifier and UID, the finding (the label's code), the probability as CAD SR's Certainty of Finding in
 * percent with the model (TID 4019, threshold and activation as its parameters), and the decision as a qualitative
 * evaluation of the finding: Present or Absent. A label without codes is said in words (Finding, TEXT).
 */
public final class ClassificationReportWriter {

    public SrInfo write(SourceSeries source, Classification c, SrSpec spec, Path outFile) throws IOException {
        AttributeList l = new AttributeList();
        try {
            SegWriter.patientAndStudy(l, source);
            MeasurementReportWriter.header(l, source, spec);
            evidence(l, source);
            modelReportRoot(l, c.model(), spec);
            MeasurementReportWriter.imageLibrary(l, source);
            AttributeList measurements = SrContent.container(l, CONTAINS, SrCodes.IMAGING_MEASUREMENTS, null);
            for (ClassifiedLabel label : c.labels()) group(measurements, c, label, spec);
            Dcm.writePart10(l, outFile);
        } catch (DicomException e) {
            throw new IOException("TSR-0237: cannot write classification SR: " + e.getMessage(), e);
        }
        return new SrInfo(SrInfo.COMPREHENSIVE_3D_SR, spec.sopInstanceUid(), spec.seriesInstanceUid(), c.labels().size());
    }

    /**
     * The root of a TID 1500 report made by one model: an Imaging Measurement Report container, English, the model as
     * TID 1004 device observer (same Device UID as the FHIR Device) and the procedure reported.
     */
    static void modelReportRoot(AttributeList l, io.tessera.core.ModelIdentity model, SrSpec spec) {
        Dcm.put(l, "ValueType", "CONTAINER");
        Dcm.code(l, "ConceptNameCodeSequence", SrCodes.IMAGING_MEASUREMENT_REPORT);
        Dcm.put(l, "ContinuityOfContent", "SEPARATE");
        SrContent.template(l, "1500");
        SrContent.code(l, HAS_CONCEPT_MOD, SrCodes.LANGUAGE, SrCodes.ENGLISH_US);
        SrContent.code(l, HAS_OBS_CONTEXT, SrCodes.OBSERVER_TYPE, SrCodes.DEVICE);
        SrContent.uidref(l, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_UID, spec.deviceUid());
        SrContent.text(l, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_NAME, FindingCodes.text(model.name(), 64));
        SrContent.text(l, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MANUFACTURER, spec.manufacturer());
        SrContent.text(l, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MODEL_NAME, FindingCodes.text(model.displayName(), 64));
        SrContent.text(l, HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_SERIAL, spec.deviceSerialNumber());
        SrContent.code(l, HAS_CONCEPT_MOD, SrCodes.PROCEDURE_REPORTED, SrCodes.IMAGING_PROCEDURE);
    }

    /** The tracking UID of a label's group: the same recipe gives the FHIR Observation's identifier. */
    public static String trackingUid(String srSopInstanceUid, String label) {
        return Uids.derive(srSopInstanceUid, "classification", label);
    }

    private static void group(AttributeList parent, Classification c, ClassifiedLabel label, SrSpec spec) {
        AttributeList g = SrContent.container(parent, CONTAINS, SrCodes.MEASUREMENT_GROUP, "1501");
        SrContent.text(g, HAS_OBS_CONTEXT, SrCodes.TRACKING_IDENTIFIER, FindingCodes.text(label.name(), 64));
        SrContent.uidref(g, HAS_OBS_CONTEXT, SrCodes.TRACKING_UID, trackingUid(spec.sopInstanceUid(), label.name()));
        if (label.code() != null) SrContent.code(g, CONTAINS, SrCodes.FINDING, label.code());
        else SrContent.text(g, CONTAINS, SrCodes.FINDING, FindingCodes.text(label.display(), 1024));
        SliceRef image = c.image();
        SrContent.image(g, CONTAINS, null, image.sopClassUid(), image.sopInstanceUid(), 0);
        AttributeList num = SrContent.num(g, CONTAINS, SrCodes.CERTAINTY_OF_FINDING, percent(label.probability()), SrCodes.PERCENT);
        SrContent.text(num, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_NAME, FindingCodes.text(c.model().name(), 64));
        SrContent.text(num, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_VERSION, FindingCodes.text(c.model().version(), 64));
        SrContent.text(num, HAS_CONCEPT_MOD, SrCodes.ALGORITHM_PARAMETERS, FindingCodes.text(String.format(Locale.ROOT,
                "activation=%s; threshold=%s; decision=probability >= threshold", c.activation(), label.threshold()), 1024));
        if (label.code() != null) {
            SrContent.code(g, CONTAINS, label.code(), label.present() ? SrCodes.PRESENT : SrCodes.ABSENT);
        } else {
            SrContent.text(g, CONTAINS, SrCodes.QUALITATIVE_EVALUATIONS,
                    FindingCodes.text(label.display() + ": " + (label.present() ? "present" : "absent"), 1024));
        }
    }

    /** Probability as a percentage with one decimal, half up (the FHIR Observation rounds the fraction the same way). */
    static double percent(double p) {
        return java.math.BigDecimal.valueOf(p * 100).setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    /** Current Requested Procedure Evidence: the classified image(s). */
    private static void evidence(AttributeList l, SourceSeries src) {
        AttributeList study = Dcm.item(Dcm.seq(l, "CurrentRequestedProcedureEvidenceSequence"));
        Dcm.put(study, "StudyInstanceUID", src.study().studyInstanceUid());
        AttributeList series = Dcm.item(Dcm.seq(study, "ReferencedSeriesSequence"));
        Dcm.put(series, "SeriesInstanceUID", src.seriesInstanceUid());
        SequenceAttribute sops = Dcm.seq(series, "ReferencedSOPSequence");
        for (SliceRef s : src.slices()) MeasurementReportWriter.sop(sops, s.sopClassUid(), s.sopInstanceUid());
    }
}
