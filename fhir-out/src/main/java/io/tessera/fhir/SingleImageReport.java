package io.tessera.fhir;

import io.tessera.core.StudyInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The preliminary DiagnosticReport over an AI result on one image (a classification, a prompted region): identified by
 * {@code reportUid}, based on the accession's ServiceRequest, LOINC 18748-4 with {@code kind} and the model in its
 * text, its Observations as results, the conclusion also as narrative and as a plain-text presented form.
 */
final class SingleImageReport {
    private SingleImageReport() {}

    /**
     * @param kind words for the kind of result, e.g. "classification" (in the code's text and the form's title)
     */
    static DiagnosticReport of(StudyInfo study, String reportUid, String kind, String modelName, Patient patient,
                               ImagingStudy imagingStudy, Optional<DateTimeType> studyTime, Instant issued,
                               List<Observation> observations, String conclusion) {
        DiagnosticReport r = new DiagnosticReport();
        r.setId(FhirIds.id("DiagnosticReport", reportUid));
        r.addIdentifier(new Identifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(reportUid)));
        if (!DicomValues.blank(study.accessionNumber())) {
            r.addBasedOn(new Reference().setType("ServiceRequest").setIdentifier(
                    new Identifier().setType(FhirResultMapper.accessionType()).setValue(study.accessionNumber().trim())));
        }
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        r.addCategory(FindingsMapper.radiology());
        r.setCode(new CodeableConcept(new Coding("http://loinc.org", "18748-4", "Diagnostic imaging study"))
                .setText("AI " + kind + ": " + modelName));
        r.setSubject(References.to(patient));
        studyTime.ifPresent(t -> r.setEffective(t.copy()));
        r.setIssued(Date.from(issued));
        r.addImagingStudy(References.to(imagingStudy));
        for (Observation o : observations) r.addResult(References.to(o));
        r.setConclusion(conclusion);
        Narratives.set(r, "Preliminary AI " + kind + " report", conclusion);
        r.addPresentedForm(new Attachment().setContentType("text/plain").setLanguage("en")
                .setData(("Tessera AI " + kind + " report\n" + conclusion + "\n").getBytes(StandardCharsets.UTF_8))
                .setTitle("Tessera AI " + kind + " report"));
        return r;
    }
}
