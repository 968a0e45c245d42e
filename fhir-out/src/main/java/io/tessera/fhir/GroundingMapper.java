package io.tessera.fhir;

import io.tessera.core.GroundedFinding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;

/**
 * Adds report grounding to a segmentation result set: the grounding SEG and SR series in the ImagingStudy, the grounder
 * as a Device (the model's own when they are the same), one Observation per located finding, and — in the
 * DiagnosticReport — those Observations as results, their finding codes as conclusionCode, and a sentence for each
 * finding in the conclusion and the presented text, including those the report states that could not be located.
 */
final class GroundingMapper {
    private GroundingMapper() {}

    static FhirResultSet extend(FhirResultMapper mapper, FhirResultSet base, GroundingResult g) {
        ImagingStudy study = base.imagingStudy();
        addSeries(study, g.groundingSeg(), "SEG");
        addSeries(study, g.measurementReport(), "SR");
        ImagingStudySeries.recount(study);

        Device device = base.device();
        List<Device> others = new ArrayList<>();
        Device grounder = mapper.device(g.grounder());
        if (!grounder.getIdElement().getIdPart().equals(device.getIdElement().getIdPart())) {
            grounder.getType().setText("AI report grounding");
            Narratives.set(grounder, "Report grounding " + g.grounder().displayName()
                    + " (Tessera). Results are not for clinical use.");
            others.add(grounder);
            device = grounder;
        }

        DiagnosticReport report = base.report();
        DateTimeType effective = report.hasEffectiveDateTimeType() ? report.getEffectiveDateTimeType() : null;
        List<Observation> findings = FindingObservations.map(g, base.patient(), study, device, effective, report.getIssued());
        List<Observation> all = new ArrayList<>(base.observations());
        all.addAll(findings);
        for (Observation o : findings) {
            report.addResult(References.to(o));
            report.addConclusionCode(new CodeableConcept(o.getCode().getCodingFirstRep().copy()).setText(o.getCode().getText()));
        }
        conclude(report, g);
        return new FhirResultSet(base.key(), base.studyInstanceUid(), base.studyVersion(), base.patient(), study,
                base.device(), others, all, report);
    }

    private static void addSeries(ImagingStudy study, SegReference ref, String modality) {
        if (ref == null) return;
        for (ImagingStudy.ImagingStudySeriesComponent s : study.getSeries()) if (s.getUid().equals(ref.seriesInstanceUid())) return;
        ImagingStudy.ImagingStudySeriesComponent s = study.addSeries()
                .setUid(ref.seriesInstanceUid())
                .setModality(new Coding(FhirResultMapper.DCM, modality, null))
                .setNumberOfInstances(ref.instanceCount());
        if (ref.seriesNumber() >= 0) s.setNumber(ref.seriesNumber());
        if (!DicomValues.blank(ref.description())) s.setDescription(ref.description());
        s.addInstance().setUid(ref.sopInstanceUid())
                .setSopClass(new Coding(FhirResultMapper.SOP_CLASS_SYSTEM, FhirIds.urnOid(ref.sopClassUid()), null)).setNumber(1);
    }

    private static void conclude(DiagnosticReport report, GroundingResult g) {
        List<String> located = new ArrayList<>();
        for (GroundedFinding f : FindingObservations.located(g.findings())) located.add(FindingObservations.summary(f));
        List<String> missing = new ArrayList<>();
        for (GroundedFinding f : g.findings()) {
            if (!f.grounded() && f.finding().assertion() != io.tessera.core.Assertion.ABSENT) {
                missing.add(FindingObservations.label(f.finding()) + " (" + f.reason() + ")");
            }
        }
        StringBuilder b = new StringBuilder();
        if (!located.isEmpty()) b.append("Report findings located in the image: ").append(String.join("; ", located)).append('.');
        if (!missing.isEmpty()) {
            if (b.length() > 0) b.append(' ');
            b.append("Stated in the report but not located: ").append(String.join("; ", missing)).append('.');
        }
        if (b.length() == 0) return;
        String grounding = b.toString();
        String base = report.getConclusion() == null ? "" : report.getConclusion();
        String conclusion = base.endsWith(FindingsMapper.DISCLAIMER)
                ? base.substring(0, base.length() - FindingsMapper.DISCLAIMER.length()) + grounding + " " + FindingsMapper.DISCLAIMER
                : (base + " " + grounding).trim();
        report.setConclusion(conclusion);
        Narratives.set(report, "Preliminary AI report", conclusion);
        if (report.hasPresentedForm()) {
            Attachment a = report.getPresentedFormFirstRep();
            String text = new String(a.getData(), StandardCharsets.UTF_8) + "Report grounding by " + g.grounder().displayName()
                    + ":\n  " + grounding.replace("; ", "\n  ") + "\n";
            a.setData(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
