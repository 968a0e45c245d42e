package io.tessera.fhir;

import io.tessera.core.ModelIdentity;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;

/**
 * One prompted region (a reader's box or clicks on one frame, segmented by a promptable model) as FHIR R4: an
 * Observation coded as a lesion (SNOMED CT 52988006) with two components, its area (SNOMED CT 42798000, UCUM
 * {@code mm2}) and its longest diameter (SNOMED CT 81827009, {@code mm}), the numbers the SR holds; {@code identifier}
 * the SEG segment's tracking UID, {@code method} the promptable model and the prompt, {@code device} the model's
 * Device, {@code derivedFrom} the ImagingStudy listing the frame, the SEG and the SR; and a DiagnosticReport.
 */
final class PromptedRegionObservations {
    /** What the prompted region's SEG, SR and numbers are. */
    record Region(SliceRef image, String trackingUid, double areaMm2, double maxDiameterMm, double predictedIou, String prompt) {}

    private final FhirResultMapper mapper;

    PromptedRegionObservations(FhirResultMapper mapper) {
        this.mapper = mapper;
    }

    FhirResultSet resultSet(SourceSeries source, ModelIdentity model, Region region, SegReference seg, SegReference sr,
                            Instant issued, int studyVersion, Optional<DateTimeType> studyTime) {
        StudyInfo study = source.study();
        Patient patient = mapper.patient(study);
        ImagingStudy imagingStudy = SingleImageStudy.of(source, region.image(), List.of(seg, sr), patient, studyTime,
                source.modality() + " image, the region a reader prompted, its AI segmentation (SEG) and measurements (SR).");
        Device device = mapper.device(model);
        device.getType().setText("AI promptable segmentation model");
        Observation o = new Observation();
        o.setId(FhirIds.id("Observation", region.trackingUid()));
        o.addIdentifier(new Identifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(region.trackingUid())));
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding(FindingsMapper.OBSERVATION_CATEGORY, "imaging", "Imaging")));
        o.setCode(new CodeableConcept(new Coding(FindingsMapper.SNOMED, "52988006", "Lesion")).setText("Prompted region"));
        o.setSubject(References.to(patient));
        studyTime.ifPresent(t -> o.setEffective(t.copy()));
        o.setIssued(Date.from(issued));
        BigDecimal area = round(region.areaMm2());
        BigDecimal diameter = round(region.maxDiameterMm());
        o.addComponent().setCode(new CodeableConcept(new Coding(FindingsMapper.SNOMED, "42798000", "Area")))
                .setValue(new Quantity().setValue(area).setUnit("mm2").setSystem(FindingsMapper.UCUM).setCode("mm2"));
        o.addComponent().setCode(new CodeableConcept(new Coding(FindingsMapper.SNOMED, "81827009", "Diameter")).setText("Longest diameter"))
                .setValue(new Quantity().setValue(diameter).setUnit("mm").setSystem(FindingsMapper.UCUM).setCode("mm"));
        o.setMethod(new CodeableConcept().setText("promptable segmentation: " + model.displayName() + ", " + region.prompt()));
        o.setDevice(References.to(device));
        o.addDerivedFrom(References.to(imagingStudy));
        String note = String.format(Locale.ROOT, "Prompted region on image %s: area %s mm2, longest diameter %s mm (%s, %s;"
                        + " the model's own IoU estimate %.3f). %s", region.image().sopInstanceUid(), area.toPlainString(),
                diameter.toPlainString(), model.displayName(), region.prompt(), region.predictedIou(), FindingsMapper.DISCLAIMER);
        o.addNote().setText(note);
        Narratives.set(o, note);

        String reportUid = FhirIds.reportUid(study.studyInstanceUid(), seg.sopInstanceUid(), model.name(), model.version());
        String conclusion = "Prompted region: area " + area.toPlainString() + " mm2, longest diameter " + diameter.toPlainString()
                + " mm. " + FindingsMapper.DISCLAIMER;
        DiagnosticReport r = SingleImageReport.of(study, reportUid, "prompted region", model.displayName(), patient, imagingStudy,
                studyTime, issued, List.of(o), conclusion);
        String key = FhirIds.id("ResultSet", study.studyInstanceUid(), source.seriesInstanceUid(), seg.sopInstanceUid(),
                model.name(), model.version());
        return new FhirResultSet(key, study.studyInstanceUid(), studyVersion, patient, imagingStudy, device, List.of(o),
                mapper.site().apply(r, imagingStudy));
    }

    /** One decimal, half up: the SR's numbers. */
    static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
    }
}
