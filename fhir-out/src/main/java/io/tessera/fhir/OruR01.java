package io.tessera.fhir;

import java.math.BigDecimal;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/**
 * A job's result set (the FHIR transaction Bundle the job runner wrote) as one HL7 v2.5.1 ORU^R01 for a RIS or EHR
 * without FHIR: PID from the Patient; ORC/OBR with the accession (OBR-3 filler order number and OBR-18, where
 * radiology interfaces look), OBR-4 the report's code, OBR-24 {@code RAD}, OBR-25 the report status; then OBX
 * segments: per Observation (OBX-4 sub-ID groups them) a CWE {@code Finding} with its SNOMED CT code, a CWE
 * {@code Finding site}, an NM with the value in UCUM units (OBX-6), and one OBX per component; a TX with the
 * conclusion; the Study Instance UID and, per SEG/SR series, its Series and SOP Instance UIDs.
 *
 * <p>Status: preliminary → P, final → F, amended/corrected → C; a retracted (entered-in-error) Observation is sent as
 * W ("wrong, replace"). The message is patient data: it is never logged.
 */
public final class OruR01 {
    /** MSH-3 to MSH-6: who sends (default application {@code TESSERA}) and which interface receives. */
    public record Header(String sendingApplication, String sendingFacility, String receivingApplication,
                         String receivingFacility) {}

    static final String SNOMED = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private OruR01() {}

    /**
     * The ORU^R01 for a result set given as the transaction Bundle JSON the job runner wrote ({@link FhirTransaction});
     * segments end with CR. Throws {@link IllegalArgumentException} when the Bundle holds no DiagnosticReport.
     */
    public static String fromTransaction(String bundleJson, Header h, String controlId, Instant now) {
        return build(FhirContexts.r4().newJsonParser().parseResource(Bundle.class, bundleJson), h, controlId, now);
    }

    static String build(Bundle results, Header h, String controlId, Instant now) {
        Patient patient = first(results, Patient.class);
        DiagnosticReport report = first(results, DiagnosticReport.class);
        ImagingStudy study = first(results, ImagingStudy.class);
        List<Observation> observations = all(results, Observation.class);
        if (report == null) throw new IllegalArgumentException("the result set holds no DiagnosticReport");
        List<String> segs = new ArrayList<>();
        segs.add("MSH|^~\\&|" + Hl7Text.esc(or(h.sendingApplication(), "TESSERA")) + "|" + Hl7Text.esc(h.sendingFacility())
                + "|" + Hl7Text.esc(h.receivingApplication()) + "|" + Hl7Text.esc(h.receivingFacility()) + "|"
                + TS.format(now) + "+0000||ORU^R01^ORU_R01|" + Hl7Text.esc(controlId) + "|P|2.5.1");
        segs.add(pid(patient));
        String accession = accession(report);
        String reportStatus = obrStatus(report.getStatus());
        segs.add(Hl7Text.segment("ORC", "RE", "", Hl7Text.esc(accession), "", "CM"));
        Coding code = report.getCode().getCodingFirstRep();
        String when = report.hasEffectiveDateTimeType() ? ts(report.getEffectiveDateTimeType().getValue()) : "";
        String issued = report.hasIssued() ? ts(report.getIssued()) : TS.format(now);
        String[] obr = new String[25];
        obr[0] = "1";
        obr[2] = Hl7Text.esc(accession);
        obr[3] = coded(code, report.getCode().getText());
        obr[6] = when;
        obr[17] = Hl7Text.esc(accession);
        obr[21] = issued;
        obr[23] = "RAD";
        obr[24] = reportStatus;
        segs.add(Hl7Text.segment("OBR", obr));
        int[] n = {0};
        int group = 0;
        for (Observation o : observations) {
            String sub = Integer.toString(++group);
            String st = obxStatus(o.getStatus());
            if (o.getCode().hasCoding()) {
                segs.add(obx(++n[0], "CWE", Hl7Text.comp("121071", "Finding", "DCM"), sub,
                        coded(o.getCode().getCodingFirstRep(), o.getCode().getText()), "", "", st));
            }
            if (o.getBodySite().hasCoding()) {
                segs.add(obx(++n[0], "CWE", Hl7Text.comp("363698007", "Finding site", "SCT"), sub,
                        coded(o.getBodySite().getCodingFirstRep(), o.getBodySite().getText()), "", "", st));
            }
            if (o.hasValueQuantity()) {
                segs.add(obx(++n[0], "NM", coded(o.getCode().getCodingFirstRep(), o.getCode().getText()), sub,
                        number(o.getValueQuantity()), unit(o.getValueQuantity()), flag(o), st));
            }
            for (Observation.ObservationComponentComponent c : o.getComponent()) {
                if (c.hasValueQuantity()) {
                    segs.add(obx(++n[0], "NM", coded(c.getCode().getCodingFirstRep(), c.getCode().getText()), sub,
                            number(c.getValueQuantity()), unit(c.getValueQuantity()), "", st));
                } else if (c.hasValueCodeableConcept()) {
                    CodeableConcept v = c.getValueCodeableConcept();
                    segs.add(obx(++n[0], "CWE", coded(c.getCode().getCodingFirstRep(), c.getCode().getText()), sub,
                            coded(v.getCodingFirstRep(), v.getText()), "", "", st));
                }
            }
        }
        if (report.hasConclusion()) {
            segs.add(obx(++n[0], "TX", Hl7Text.comp("19005-8", "Radiology Imaging study [Impression] (narrative)", "LN"), "",
                    Hl7Text.esc(report.getConclusion()), "", "", obxStatus(report.getStatus())));
        }
        if (study != null) references(study, segs, n, obxStatus(report.getStatus()));
        return String.join("\r", segs) + "\r";
    }

    /** The Study Instance UID, and the Series and SOP Instance UIDs of the SEG and SR series (the AI objects). */
    private static void references(ImagingStudy study, List<String> segs, int[] n, String st) {
        for (Identifier id : study.getIdentifier()) {
            if (id.getValue() != null && id.getValue().startsWith("urn:oid:")) {
                segs.add(obx(++n[0], "ST", Hl7Text.comp("110180", "Study Instance UID", "DCM"), "",
                        Hl7Text.esc(id.getValue().substring(8)), "", "", st));
            }
        }
        int k = 0;
        for (ImagingStudy.ImagingStudySeriesComponent s : study.getSeries()) {
            String modality = s.getModality().getCode();
            if (!"SEG".equals(modality) && !"SR".equals(modality)) continue;
            String sub = modality + "." + (++k);
            segs.add(obx(++n[0], "ST", Hl7Text.comp("112002", "Series Instance UID", "DCM"), sub, Hl7Text.esc(s.getUid()),
                    "", "", st));
            for (ImagingStudy.ImagingStudySeriesInstanceComponent i : s.getInstance()) {
                segs.add(obx(++n[0], "ST", Hl7Text.comp("SOPUID", "SOP Instance UID " + modality, "99TSR"), sub,
                        Hl7Text.esc(i.getUid()), "", "", st));
            }
        }
    }

    private static String obx(int setId, String type, String id, String sub, String value, String units, String flag,
                              String status) {
        String[] f = new String[11];
        f[0] = Integer.toString(setId);
        f[1] = type;
        f[2] = id;
        f[3] = sub;
        f[4] = value;
        f[5] = units;
        f[7] = flag;
        f[10] = status;
        return Hl7Text.segment("OBX", f);
    }

    private static String pid(Patient p) {
        if (p == null) return "PID|1";
        Identifier id = p.getIdentifierFirstRep();
        String pid3 = Hl7Text.esc(id.getValue()) + "^^^" + Hl7Text.esc(id.getSystem()) + "^MR";
        String name = p.hasName() ? Hl7Text.comp(p.getNameFirstRep().getFamily(), p.getNameFirstRep().getGivenAsSingleString()) : "";
        String birth = p.hasBirthDate() ? new SimpleDateFormat("yyyyMMdd").format(p.getBirthDate()) : "";
        String sex = p.hasGender() ? switch (p.getGender()) {
            case MALE -> "M";
            case FEMALE -> "F";
            case OTHER -> "O";
            default -> "U";
        } : "";
        return Hl7Text.segment("PID", "1", "", pid3, "", name, "", birth, sex);
    }

    private static String accession(DiagnosticReport r) {
        return r.getBasedOn().stream().filter(b -> b.hasIdentifier()).map(b -> b.getIdentifier().getValue()).findFirst().orElse("");
    }

    /** A coding as CWE: code, text, coding system (SCT, LN, UCUM, DCM, else the system URI). */
    static String coded(Coding c, String text) {
        String display = c.hasDisplay() ? c.getDisplay() : text;
        return Hl7Text.comp(c.getCode(), display, system(c.getSystem()));
    }

    private static String system(String uri) {
        if (uri == null) return "";
        return switch (uri) {
            case SNOMED -> "SCT";
            case LOINC -> "LN";
            case UCUM -> "UCUM";
            case "http://dicom.nema.org/resources/ontology/DCM" -> "DCM";
            default -> uri;
        };
    }

    private static String number(Quantity q) {
        BigDecimal v = q.getValue();
        return v == null ? "" : v.toPlainString();
    }

    private static String unit(Quantity q) {
        String code = q.hasCode() ? q.getCode() : q.getUnit();
        return Hl7Text.comp(code, q.hasUnit() ? q.getUnit() : code, UCUM.equals(q.getSystem()) ? "UCUM" : "");
    }

    /** POS/NEG (HL7 table 0078) when the model's interpretation says so. */
    private static String flag(Observation o) {
        return o.getInterpretation().stream().flatMap(i -> i.getCoding().stream()).map(Coding::getCode)
                .filter(c -> c.equals("POS") || c.equals("NEG")).findFirst().orElse("");
    }

    private static String obrStatus(DiagnosticReport.DiagnosticReportStatus s) {
        if (s == null) return "P";
        return switch (s) {
            case FINAL -> "F";
            case AMENDED, CORRECTED, APPENDED -> "C";
            case ENTEREDINERROR, CANCELLED -> "X";
            default -> "P";
        };
    }

    private static String obxStatus(DiagnosticReport.DiagnosticReportStatus s) {
        String o = obrStatus(s);
        return o.equals("X") ? "W" : o;
    }

    private static String obxStatus(Observation.ObservationStatus s) {
        if (s == null) return "P";
        return switch (s) {
            case FINAL -> "F";
            case AMENDED, CORRECTED -> "C";
            case ENTEREDINERROR, CANCELLED -> "W";
            default -> "P";
        };
    }

    private static String or(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }

    private static String ts(Date d) {
        SimpleDateFormat f = new SimpleDateFormat("yyyyMMddHHmmss");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(d) + "+0000";
    }

    private static <T extends Resource> T first(Bundle b, Class<T> type) {
        List<T> all = all(b, type);
        return all.isEmpty() ? null : all.get(0);
    }

    private static <T extends Resource> List<T> all(Bundle b, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) if (type.isInstance(e.getResource())) out.add(type.cast(e.getResource()));
        return out;
    }
}
