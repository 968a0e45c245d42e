package io.tessera.fhir;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.Laterality;
import io.tessera.core.ReportFinding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;

/**
 * One Observation per located report finding (grounded and not negated): code = the finding type, bodySite = the
 * finding site (side as a Laterality component), value = maximum diameter in mm, a Volume component in mL, the
 * report's phrase in {@code note}, identifier = the finding's tracking UID — the same UID as its SEG segment and SR
 * measurement group — and id derived from it. An UNCERTAIN finding is interpreted "Indeterminate". Pure.
 */
final class FindingObservations {
    static final String V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final Code VOLUME = Code.sct("118565006", "Volume");
    private static final Code LATERALITY = Code.sct("272741003", "Laterality");

    private FindingObservations() {}

    /** The findings that become Observations, in order. */
    static List<GroundedFinding> located(List<GroundedFinding> findings) {
        List<GroundedFinding> out = new ArrayList<>();
        for (GroundedFinding f : findings) if (f.grounded() && f.finding().assertion() != Assertion.ABSENT) out.add(f);
        return out;
    }

    static List<Observation> map(GroundingResult g, Patient patient, ImagingStudy study, Device device,
                                 DateTimeType effective, Date issued) {
        List<Observation> out = new ArrayList<>();
        for (GroundedFinding f : located(g.findings())) out.add(observation(f, g, patient, study, device, effective, issued));
        return out;
    }

    private static Observation observation(GroundedFinding g, GroundingResult r, Patient patient, ImagingStudy study,
                                           Device device, DateTimeType effective, Date issued) {
        ReportFinding f = g.finding();
        Observation o = new Observation();
        o.setId(FhirIds.id("Observation", g.trackingUid()));
        o.addIdentifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(g.trackingUid()));
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding(FindingsMapper.OBSERVATION_CATEGORY, "imaging", "Imaging")));
        String label = label(f);
        o.setCode(coded(f.findingType(), label));
        o.setSubject(References.to(patient));
        if (effective != null) o.setEffective(effective.copy());
        o.setIssued(issued);
        if (f.site() != null) o.setBodySite(coded(f.site(), siteText(f)));
        Code side = laterality(f.laterality());
        if (side != null) o.addComponent().setCode(coded(LATERALITY, null)).setValue(coded(side, null));
        if (positive(g.maxDiameterMm())) {
            o.setValue(quantity(diameterMm(g), "mm"));
        } else {
            o.setDataAbsentReason(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed", "Not Performed")));
        }
        if (positive(g.volumeMl())) o.addComponent().setCode(coded(VOLUME, "Volume")).setValue(quantity(volumeMl(g), "mL"));
        if (f.assertion() == Assertion.UNCERTAIN) {
            o.addInterpretation(new CodeableConcept(new Coding(V3_INTERPRETATION, "IND", "Indeterminate"))
                    .setText("Stated as uncertain in the report"));
        }
        o.setMethod(new CodeableConcept().setText("Report grounding: " + g.method()));
        o.setDevice(References.to(device));
        o.addDerivedFrom(References.to(study));
        o.addNote().setText(f.phrase());
        o.addNote().setText(String.format(Locale.ROOT, "Located by %s (%s), confidence %.2f; tracking ID %s. %s",
                r.grounder().displayName(), g.method(), g.confidence(), g.trackingId(), FindingsMapper.DISCLAIMER));
        Narratives.set(o, summary(g) + " (preliminary).", "Report: \"" + f.phrase() + "\"", FindingsMapper.DISCLAIMER);
        return o;
    }

    /** e.g. {@code Nodule in lower lobe of right lung: 7.9 mm, 0.176 mL}. */
    static String summary(GroundedFinding g) {
        StringBuilder b = new StringBuilder(label(g.finding())).append(':');
        if (positive(g.maxDiameterMm())) b.append(' ').append(diameterMm(g).toPlainString()).append(" mm");
        if (positive(g.volumeMl())) {
            if (positive(g.maxDiameterMm())) b.append(',');
            b.append(' ').append(volumeMl(g).toPlainString()).append(" mL");
        }
        if (g.finding().assertion() == Assertion.UNCERTAIN) b.append(" (uncertain)");
        return b.toString();
    }

    /** Same wording as the SEG segment label: {@code Nodule in lower lobe of right lung}, {@code Cyst in left kidney}. */
    static String label(ReportFinding f) {
        String type = f.findingType().meaning();
        StringBuilder b = new StringBuilder(type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1));
        if (f.site() != null) b.append(" in ").append(siteText(f));
        else if (f.laterality() != Laterality.UNSPECIFIED) b.append(", ").append(f.laterality().name().toLowerCase());
        return b.toString();
    }

    private static String siteText(ReportFinding f) {
        String s = f.site().meaning();
        String lower = s.toLowerCase();
        String side = "";
        if (f.laterality() != Laterality.UNSPECIFIED && !lower.contains("left") && !lower.contains("right")) {
            side = (f.laterality() == Laterality.BILATERAL ? "both" : f.laterality().name().toLowerCase()) + " ";
        }
        return side + (s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1));
    }

    static Code laterality(Laterality l) {
        return switch (l) {
            case LEFT -> Code.sct("7771000", "Left");
            case RIGHT -> Code.sct("24028007", "Right");
            case BILATERAL -> Code.sct("51440002", "Right and left");
            case UNSPECIFIED -> null;
        };
    }

    /** Rounded as the SR writes it (0.1 mm, 0.001 mL), so the two encodings show the same numbers. */
    static BigDecimal diameterMm(GroundedFinding g) {
        return BigDecimal.valueOf(g.maxDiameterMm()).setScale(1, RoundingMode.HALF_UP);
    }

    static BigDecimal volumeMl(GroundedFinding g) {
        return BigDecimal.valueOf(g.volumeMl()).setScale(3, RoundingMode.HALF_UP);
    }

    private static boolean positive(double v) {
        return Double.isFinite(v) && v > 0;
    }

    private static Quantity quantity(BigDecimal v, String ucum) {
        return new Quantity().setValue(v).setUnit(ucum).setSystem(FindingsMapper.UCUM).setCode(ucum);
    }

    private static CodeableConcept coded(Code c, String text) {
        CodeableConcept cc = new CodeableConcept(new Coding(c.fhirSystem(), c.value(), c.meaning()));
        return text == null ? cc : cc.setText(text);
    }
}
