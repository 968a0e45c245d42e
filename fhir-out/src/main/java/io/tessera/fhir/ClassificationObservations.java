package io.tessera.fhir;

import io.tessera.core.Classification;
import io.tessera.core.ClassifiedLabel;
import io.tessera.core.Code;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
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
 * A classifier's answer on one image as FHIR R4: one Observation per label, coded by the label's codes (SNOMED CT,
 * RadLex), {@code valueQuantity} the probability (UCUM {@code 1}, four decimals), {@code interpretation} POS or NEG
 * from the package's threshold (the threshold and activation in the note), {@code device} the model's Device,
 * {@code derivedFrom} the ImagingStudy listing the image and the classification SR; the identifier is the SR group's
 * tracking UID. A DiagnosticReport ties them together. Pure and deterministic, like the segmentation mapping.
 */
final class ClassificationObservations {
    static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    static final String RADLEX = "http://radlex.org";

    private final FhirResultMapper mapper;
    private final SourceSeries source;
    private final Classification c;
    private final SegReference sr;
    private final Instant issued;
    private final int studyVersion;
    private final Optional<DateTimeType> studyTime;

    ClassificationObservations(FhirResultMapper mapper, SourceSeries source, Classification c, SegReference sr, Instant issued,
                               int studyVersion, Optional<DateTimeType> studyTime) {
        this.mapper = mapper;
        this.source = source;
        this.c = c;
        this.sr = sr;
        this.issued = issued;
        this.studyVersion = studyVersion;
        this.studyTime = studyTime;
    }

    FhirResultSet resultSet(java.util.function.BiFunction<String, String, String> trackingUid) {
        StudyInfo study = source.study();
        Patient patient = mapper.patient(study);
        ImagingStudy imagingStudy = imagingStudy(patient);
        Device device = mapper.device(c.model());
        device.getType().setText("AI classification model");
        List<Observation> observations = new ArrayList<>();
        for (ClassifiedLabel l : c.labels()) {
            observations.add(observation(l, trackingUid.apply(sr.sopInstanceUid(), l.name()), patient, imagingStudy, device));
        }
        ModelIdentity m = c.model();
        String key = FhirIds.id("ResultSet", study.studyInstanceUid(), source.seriesInstanceUid(), c.image().sopInstanceUid(),
                m.name(), m.version());
        return new FhirResultSet(key, study.studyInstanceUid(), studyVersion, patient, imagingStudy, device, observations,
                mapper.site().apply(report(observations, patient, imagingStudy), imagingStudy));
    }

    private Observation observation(ClassifiedLabel l, String trackingUid, Patient patient, ImagingStudy imagingStudy, Device device) {
        Observation o = new Observation();
        o.setId(FhirIds.id("Observation", trackingUid));
        o.addIdentifier(new Identifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(trackingUid)));
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding(FindingsMapper.OBSERVATION_CATEGORY, "imaging", "Imaging")));
        CodeableConcept code = new CodeableConcept().setText(l.display());
        for (Code x : l.codes()) code.addCoding(new Coding(system(x), x.value(), x.meaning()));
        o.setCode(code);
        o.setSubject(References.to(patient));
        studyTime.ifPresent(t -> o.setEffective(t.copy()));
        o.setIssued(Date.from(issued));
        BigDecimal p = probability(l.probability());
        o.setValue(new Quantity().setValue(p).setUnit("probability").setSystem(FindingsMapper.UCUM).setCode("1"));
        o.addInterpretation(new CodeableConcept(l.present() ? new Coding(INTERPRETATION, "POS", "Positive")
                : new Coding(INTERPRETATION, "NEG", "Negative")));
        o.setDevice(References.to(device));
        o.addDerivedFrom(References.to(imagingStudy));
        String note = String.format(Locale.ROOT, "%s: probability %s (%s), threshold %s: %s. Image %s. %s", l.display(),
                p.toPlainString(), c.activation(), l.threshold(), l.present() ? "present" : "absent", c.image().sopInstanceUid(),
                FindingsMapper.DISCLAIMER);
        o.addNote().setText(note);
        Narratives.set(o, note);
        return o;
    }

    private ImagingStudy imagingStudy(Patient patient) {
        return SingleImageStudy.of(source, c.image(), List.of(sr), patient, studyTime,
                source.modality() + " image and its AI classification (SR).");
    }

    private DiagnosticReport report(List<Observation> observations, Patient patient, ImagingStudy imagingStudy) {
        ModelIdentity m = c.model();
        StudyInfo study = source.study();
        String reportUid = FhirIds.reportUid(study.studyInstanceUid(), c.image().sopInstanceUid(), m.name(), m.version());
        List<String> parts = new ArrayList<>();
        for (ClassifiedLabel l : c.labels()) {
            parts.add(l.display() + " " + (l.present() ? "present" : "absent") + " (" + probability(l.probability()).toPlainString() + ")");
        }
        String conclusion = m.displayName() + ": " + String.join(", ", parts) + ". " + FindingsMapper.DISCLAIMER;
        return SingleImageReport.of(study, reportUid, "classification", m.displayName(), patient, imagingStudy, studyTime, issued,
                observations, conclusion);
    }

    /** Four decimals, half up: the SR's percentage with one decimal is the same number. */
    static BigDecimal probability(double p) {
        return BigDecimal.valueOf(p).setScale(4, RoundingMode.HALF_UP);
    }

    private static String system(Code c) {
        return "RADLEX".equals(c.scheme()) ? RADLEX : c.fhirSystem();
    }
}
