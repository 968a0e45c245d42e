package io.tessera.fhir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Where an incoming report's study, accession number and text are found (pure functions, documented in
 * docs/design.md "Report intake"):
 * <ul>
 *   <li>Study Instance UID: an identifier with system {@code urn:dicom:uid} (value {@code urn:oid:<uid>}) on a
 *       {@code DiagnosticReport.imagingStudy} / {@code DocumentReference.context.related} reference, either as the
 *       reference's logical identifier or on a contained ImagingStudy it points to.</li>
 *   <li>Accession number: an identifier typed {@code v2-0203|ACSN} on {@code DiagnosticReport.basedOn} (the
 *       ServiceRequest, as Tessera writes its own reports), on {@code DocumentReference.context.related}, or on the
 *       resource's own {@code identifier}; failing that, the first untyped {@code basedOn} identifier.</li>
 *   <li>Text: every {@code text/plain} attachment with inline {@code data} (DiagnosticReport.presentedForm,
 *       DocumentReference.content.attachment), decoded with its charset (UTF-8 by default), joined by a blank line;
 *       for a DiagnosticReport without one, its {@code conclusion}.</li>
 *   <li>Source ID: the first own identifier that is not an accession number, as {@code system|value}.</li>
 * </ul>
 */
final class ReportResources {
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private ReportResources() {}

    static ReceivedReport of(DiagnosticReport r) throws ReportReceiver.Refused {
        if (r.getStatus() == DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR
                || r.getStatus() == DiagnosticReport.DiagnosticReportStatus.CANCELLED) {
            throw new ReportReceiver.Refused("TSR-0866: a DiagnosticReport with status " + r.getStatus().toCode()
                    + " is not taken as a report");
        }
        String uid = null;
        for (Reference ref : r.getImagingStudy()) if (uid == null) uid = studyUid(r, ref);
        String acc = null;
        for (Reference ref : r.getBasedOn()) if (acc == null && isAccession(ref.getIdentifier())) acc = value(ref.getIdentifier());
        if (acc == null) acc = ownAccession(r.getIdentifier());
        if (acc == null) {
            for (Reference ref : r.getBasedOn()) {
                Identifier i = ref.getIdentifier();
                if (acc == null && !i.hasType() && i.hasValue() && !FhirIds.DICOM_UID_SYSTEM.equals(i.getSystem())) acc = value(i);
            }
        }
        List<String> texts = new ArrayList<>();
        for (Attachment a : r.getPresentedForm()) plainText(a).ifPresent(texts::add);
        if (texts.isEmpty() && r.hasConclusion()) texts.add(r.getConclusion());
        return new ReceivedReport(uid, acc, "DiagnosticReport", sourceId(r.getIdentifier()), String.join("\n\n", texts));
    }

    static ReceivedReport of(DocumentReference d) throws ReportReceiver.Refused {
        if (d.getStatus() != null && d.getStatus() != org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT) {
            throw new ReportReceiver.Refused("TSR-0866: a DocumentReference with status " + d.getStatus().toCode()
                    + " is not taken as a report");
        }
        String uid = null, acc = null;
        for (Reference ref : d.getContext().getRelated()) {
            if (uid == null) uid = studyUid(d, ref);
            if (acc == null && isAccession(ref.getIdentifier())) acc = value(ref.getIdentifier());
        }
        if (acc == null) acc = ownAccession(d.getIdentifier());
        List<String> texts = new ArrayList<>();
        for (DocumentReference.DocumentReferenceContentComponent c : d.getContent()) plainText(c.getAttachment()).ifPresent(texts::add);
        String sourceId = sourceId(d.getIdentifier());
        if (sourceId == null && d.hasMasterIdentifier()) sourceId = sourceId(List.of(d.getMasterIdentifier()));
        return new ReceivedReport(uid, acc, "DocumentReference", sourceId, String.join("\n\n", texts));
    }

    /** A study UID from a reference's logical identifier or from the contained ImagingStudy it points to. */
    private static String studyUid(DomainResource owner, Reference ref) {
        String uid = dicomUid(ref.getIdentifier());
        if (uid != null) return uid;
        String target = ref.getReference();
        if (target != null && target.startsWith("#")) {
            for (Resource c : owner.getContained()) {
                if (c instanceof ImagingStudy is && target.substring(1).equals(is.getIdElement().getIdPart())) {
                    for (Identifier i : is.getIdentifier()) if (uid == null) uid = dicomUid(i);
                }
            }
        }
        return uid;
    }

    private static String dicomUid(Identifier i) {
        if (i == null || !FhirIds.DICOM_UID_SYSTEM.equals(i.getSystem()) || !i.hasValue()) return null;
        String v = i.getValue().trim();
        return v.startsWith("urn:oid:") ? v.substring("urn:oid:".length()) : v;
    }

    private static boolean isAccession(Identifier i) {
        return i != null && i.hasValue() && i.getType().getCoding().stream()
                .anyMatch(c -> V2_0203.equals(c.getSystem()) && "ACSN".equals(c.getCode()));
    }

    private static String ownAccession(List<Identifier> ids) {
        for (Identifier i : ids) if (isAccession(i)) return value(i);
        return null;
    }

    private static String sourceId(List<Identifier> ids) {
        for (Identifier i : ids) {
            if (!isAccession(i) && i.hasValue()) return (i.hasSystem() ? i.getSystem() : "") + "|" + i.getValue();
        }
        return null;
    }

    private static String value(Identifier i) {
        return i.getValue().trim();
    }

    private static Optional<String> plainText(Attachment a) {
        if (a == null || !a.hasData() || !a.hasContentType()) return Optional.empty();
        String type = a.getContentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("text/plain")) return Optional.empty();
        Charset cs = StandardCharsets.UTF_8;
        int at = type.indexOf("charset=");
        if (at >= 0) {
            try {
                cs = Charset.forName(type.substring(at + 8).split("[;\\s]")[0].replace("\"", ""));
            } catch (RuntimeException e) {
                // unknown charset: UTF-8 is the best guess
            }
        }
        return Optional.of(new String(a.getData(), cs));
    }
}
