package io.tessera.routes.reports;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a radiology report out of an HL7 v2 ORU^R01 (any version 2.3–2.5.1; HAPI parses them all into the 2.5 model,
 * without validation, because real senders are rarely conformant).
 *
 * <p>Segments are taken in message order, so the group structure of the version does not matter: each OBR starts an
 * order (an ORC just before it belongs to it); the OBX segments that follow belong to that order.
 * <ul>
 *   <li>Accession number: the configured field ({@code OBR-3} by default; {@code OBR-2}, {@code ORC-3}, or with a
 *       component, {@code OBR-18.1}); component 1 unless one is given.</li>
 *   <li>Study Instance UID (optional): ZDS-1 component 1 (IHE Radiology's Z segment, anywhere before the next OBR),
 *       or OBX-5 of an OBX whose OBX-3 is {@code 113014^Study Instance UID^DCM} (value type RP, ST or UI).</li>
 *   <li>Report text: OBX-5 of every OBX of value type TX, FT or ST (other than the UID one), in order, each repetition
 *       on its own line; FT/TX line breaks ({@code \.br\}) become new lines.</li>
 * </ul>
 */
final class OruParser {
    private static final Pattern FIELD = Pattern.compile("(OBR|ORC)-(\\d{1,3})(?:\\.(\\d{1,2}))?");
    private static final Set<String> TEXT_TYPES = Set.of("TX", "FT", "ST");
    static final String STUDY_UID_CODE = "113014";

    private final PipeParser parser;
    private final String accessionSegment;
    private final int accessionField;
    private final int accessionComponent;

    OruParser(String accessionField) {
        Matcher m = FIELD.matcher(accessionField);
        if (!m.matches()) throw new IllegalArgumentException("TSR-0865: accession field '" + accessionField + "' is not OBR-n or ORC-n");
        accessionSegment = m.group(1);
        this.accessionField = Integer.parseInt(m.group(2));
        accessionComponent = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        parser = context.getPipeParser();
    }

    PipeParser parser() {
        return parser;
    }

    /** Parses the pipe-encoded text; segment separators CR, LF and CR LF are all accepted. */
    Message parse(String raw) throws HL7Exception {
        return parser.parse(normalise(raw));
    }

    static String normalise(String raw) {
        String s = raw.replace("\r\n", "\r").replace('\n', '\r').strip();
        return s;
    }

    /** The report of an ORU^R01; {@link Hl7Failure} (AR) when it is not one or names no study or has no text. */
    OruMessage read(Message m) throws Hl7Failure, HL7Exception {
        Terser t = new Terser(m);
        String type = nz(t.get("/MSH-9-1")), event = nz(t.get("/MSH-9-2"));
        if (!type.equals("ORU") || !event.equals("R01")) {
            throw Hl7Failure.rejected(type.equals("ORU") ? "201" : "200",
                    "TSR-0861: only ORU^R01 is accepted here (got " + type + "^" + event + ")");
        }
        List<Segment> segments = new ArrayList<>();
        collect(m, segments);
        List<Builder> orders = new ArrayList<>();
        Segment pendingOrc = null;
        String pendingZds = null;
        Builder current = null;
        for (Segment s : segments) {
            switch (s.getName()) {
                case "ORC" -> pendingOrc = s;
                case "OBR" -> {
                    current = new Builder(accession(s, pendingOrc), pendingZds);
                    orders.add(current);
                    pendingOrc = null;
                    pendingZds = null;
                }
                case "ZDS" -> {
                    String uid = blankToNull(Terser.get(s, 1, 0, 1, 1));
                    if (current != null && current.studyUid == null) current.studyUid = uid;
                    else if (current == null) pendingZds = uid;
                }
                case "OBX" -> {
                    if (current != null) observation(s, current);
                }
                default -> { }
            }
        }
        if (orders.isEmpty()) throw Hl7Failure.rejected("100", "TSR-0862: the ORU^R01 has no OBR segment");
        List<OruMessage.Order> out = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            Builder b = orders.get(i);
            if (b.accession == null && b.studyUid == null) {
                throw Hl7Failure.rejected("101", "TSR-0862: OBR #" + (i + 1) + " has no accession number in "
                        + accessionSegment + "-" + accessionField + " and there is no Study Instance UID (ZDS-1 or OBX "
                        + STUDY_UID_CODE + ")");
            }
            String text = String.join("\n", b.lines).strip();
            if (text.isEmpty()) throw Hl7Failure.rejected("101", "TSR-0863: OBR #" + (i + 1) + " has no report text in OBX (TX, FT or ST)");
            out.add(new OruMessage.Order(b.accession, b.studyUid, text));
        }
        return new OruMessage(nz(t.get("/MSH-10")), nz(t.get("/MSH-3-1")) + "^" + nz(t.get("/MSH-4-1")), out);
    }

    private String accession(Segment obr, Segment orc) throws HL7Exception {
        Segment s = accessionSegment.equals("OBR") ? obr : orc;
        return s == null ? null : blankToNull(Terser.get(s, accessionField, 0, accessionComponent, 1));
    }

    private static void observation(Segment obx, Builder order) throws HL7Exception {
        String valueType = nz(Terser.get(obx, 2, 0, 1, 1)).trim();
        if (STUDY_UID_CODE.equals(nz(Terser.get(obx, 3, 0, 1, 1)).trim())) {
            if (order.studyUid == null) order.studyUid = blankToNull(Terser.get(obx, 5, 0, 1, 1));
            return;
        }
        if (!TEXT_TYPES.contains(valueType)) return;
        for (Type rep : obx.getField(5)) {
            String v = value(rep);
            if (v != null) order.lines.add(v.replace("\\.br\\", "\n").replace("\r", "\n").stripTrailing());
        }
    }

    private static String value(Type t) throws HL7Exception {
        Type data = t instanceof Varies v ? v.getData() : t;
        if (data instanceof Primitive p) return p.getValue();
        String encoded = data.encode();
        return encoded == null || encoded.isEmpty() ? null : encoded;
    }

    /** Every segment, depth first, in message order (repetitions in order). */
    private static void collect(Group g, List<Segment> out) throws HL7Exception {
        for (String name : g.getNames()) {
            for (Structure s : g.getAll(name)) {
                if (s instanceof Segment seg) {
                    if (!seg.isEmpty()) out.add(seg);
                } else if (s instanceof Group child) {
                    collect(child, out);
                }
            }
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static final class Builder {
        final String accession;
        String studyUid;
        final List<String> lines = new ArrayList<>();

        Builder(String accession, String studyUid) {
            this.accession = accession;
            this.studyUid = studyUid;
        }
    }
}
