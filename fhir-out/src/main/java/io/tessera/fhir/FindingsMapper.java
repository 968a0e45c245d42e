package io.tessera.fhir;

import io.tessera.core.Code;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentStats;
import io.tessera.core.Segmentation;
import io.tessera.core.StudyInfo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
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
import org.hl7.fhir.r4.model.Reference;

/** The measured part of one result: an Observation per non-empty segment and the DiagnosticReport over them. */
final class FindingsMapper {
    static final String SNOMED = "http://snomed.info/sct";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
    static final String DISCLAIMER = "AI generated - not for clinical use.";

    private final Segmentation seg;
    private final SegReference segRef;
    private final int studyVersion;
    private final Instant issued;
    private final Optional<DateTimeType> studyTime;
    private final Patient patient;
    private final ImagingStudy imagingStudy;
    private final Device device;

    FindingsMapper(Segmentation seg, SegReference segRef, int studyVersion, Instant issued, Optional<DateTimeType> studyTime,
                   Patient patient, ImagingStudy imagingStudy, Device device) {
        this.seg = seg;
        this.segRef = segRef;
        this.studyVersion = studyVersion;
        this.issued = issued;
        this.studyTime = studyTime;
        this.patient = patient;
        this.imagingStudy = imagingStudy;
        this.device = device;
    }

    List<Observation> observations() {
        List<Observation> out = new ArrayList<>();
        for (SegmentStats s : seg.stats()) if (s.voxels() > 0) out.add(observation(s));
        return out;
    }

    private Observation observation(SegmentStats s) {
        ModelIdentity m = seg.model();
        String trackingUid = FhirIds.trackingUid(segRef.sopInstanceUid(), seg.segments().indexOf(s.label()) + 1);
        Observation o = new Observation();
        o.setId(FhirIds.id("Observation", trackingUid));
        o.addIdentifier(uidIdentifier(trackingUid));
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, "imaging", "Imaging")));
        o.setCode(new CodeableConcept(new Coding(SNOMED, "118565006", "Volume"))
                .setText("Volume of " + s.label().displayName()));
        o.setSubject(References.to(patient));
        studyTime.ifPresent(t -> o.setEffective(t.copy()));
        o.setIssued(Date.from(issued));
        o.setBodySite(coded(s.label().type(), s.label().displayName()));
        o.setValue(new Quantity().setValue(volumeMl(s)).setUnit("mL").setSystem(UCUM).setCode("mL"));
        o.setDevice(References.to(device));
        o.addDerivedFrom(References.to(imagingStudy));
        o.addNote().setText("Segment " + s.label().value() + " (" + s.label().displayName() + ") of "
                + m.displayName() + ". " + DISCLAIMER);
        Narratives.set(o, o.getCode().getText() + ": " + volumeMl(s).toPlainString() + " mL (preliminary). "
                + DISCLAIMER);
        return o;
    }

    /** Radiology in both codings EHRs filter reports on: HL7 v2 table 0074 {@code RAD} and LOINC {@code LP29684-5}. */
    static CodeableConcept radiology() {
        return new CodeableConcept(new Coding(V2_0074, "RAD", "Radiology"))
                .addCoding(new Coding("http://loinc.org", "LP29684-5", "Radiology"));
    }

    DiagnosticReport report(List<Observation> observations, SegReference segRef) {
        ModelIdentity m = seg.model();
        StudyInfo study = seg.source().study();
        // One report per result slot for the life of the study: a later study version amends it (same id, new version).
        String reportUid = FhirIds.reportUid(studyUid(), seg.source().seriesInstanceUid(), m.name(), m.version());
        DiagnosticReport r = new DiagnosticReport();
        r.setId(FhirIds.id("DiagnosticReport", reportUid));
        r.addIdentifier(uidIdentifier(reportUid));
        if (!DicomValues.blank(study.accessionNumber())) {
            // The order is known to the EHR by accession only: a logical reference, not a resolvable one.
            r.addBasedOn(new Reference().setType("ServiceRequest").setIdentifier(
                    new Identifier().setType(FhirResultMapper.accessionType()).setValue(study.accessionNumber().trim())));
        }
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        r.addCategory(radiology());
        r.setCode(new CodeableConcept(new Coding("http://loinc.org", "18748-4", "Diagnostic imaging study"))
                .setText("AI segmentation: " + m.displayName()));
        r.setSubject(References.to(patient));
        studyTime.ifPresent(t -> r.setEffective(t.copy()));
        r.setIssued(Date.from(issued));
        r.addImagingStudy(References.to(imagingStudy));
        for (Observation o : observations) r.addResult(References.to(o));
        String conclusion = conclusion(observations);
        r.setConclusion(conclusion);
        Narratives.set(r, "Preliminary AI segmentation report", conclusion);
        String text = presentedText(conclusion, segRef);
        r.addPresentedForm(new Attachment().setContentType("text/plain").setLanguage("en")
                .setData(text.getBytes(StandardCharsets.UTF_8)).setTitle("Tessera AI segmentation report"));
        return r;
    }

    private String conclusion(List<Observation> observations) {
        StringBuilder sb = new StringBuilder(seg.model().displayName()).append(": ");
        if (observations.isEmpty()) {
            sb.append("no segment found.");
        } else {
            sb.append("segment volumes ");
            List<String> parts = new ArrayList<>();
            for (Observation o : observations) {
                parts.add(o.getBodySite().getText() + " "
                        + o.getValueQuantity().getValue().toPlainString() + " mL");
            }
            sb.append(String.join(", ", parts)).append('.');
        }
        return sb.append(' ').append(DISCLAIMER).toString();
    }

    private String presentedText(String conclusion, SegReference segRef) {
        StringBuilder sb = new StringBuilder("Tessera AI segmentation report\n");
        sb.append("Model: ").append(seg.model().displayName()).append('\n');
        sb.append("Source series: ").append(nz(seg.source().seriesDescription())).append(" (")
                .append(seg.source().modality()).append(", ").append(seg.source().slices().size()).append(" images)\n");
        sb.append("Segmentation series: ").append(nz(segRef.description())).append('\n');
        for (SegmentStats s : seg.stats()) {
            sb.append(String.format(Locale.ROOT, "  %-24s %10s mL%s%n", s.label().displayName(),
                    volumeMl(s).toPlainString(), s.voxels() == 0 ? " (not found)" : ""));
        }
        return sb.append("Conclusion: ").append(conclusion).append('\n').toString();
    }

    static BigDecimal volumeMl(SegmentStats s) {
        return BigDecimal.valueOf(s.volumeMl()).setScale(1, RoundingMode.HALF_UP);
    }

    private static CodeableConcept coded(Code c, String text) {
        return new CodeableConcept(new Coding(c.fhirSystem(), c.value(), c.meaning())).setText(text);
    }

    private static Identifier uidIdentifier(String uid) {
        return new Identifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(uid));
    }

    private String studyUid() {
        return seg.source().study().studyInstanceUid();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
