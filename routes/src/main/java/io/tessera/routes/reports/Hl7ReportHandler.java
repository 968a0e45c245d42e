package io.tessera.routes.reports;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one inbound HL7 v2 message into stored reports and the ACK to send back. Never throws: whatever arrives
 * (garbage included) gets an ACK, and the listener goes on.
 *
 * <ul>
 *   <li>AA: every order of the ORU^R01 is stored (or was already: a resend of the same sender and MSH-10).</li>
 *   <li>AR: not parseable ({@code TSR-0860}), not ORU^R01 ({@code TSR-0861}), no accession number and no Study
 *       Instance UID ({@code TSR-0862}), no text ({@code TSR-0863}), or refused by validation ({@code TSR-0850..0854}).</li>
 *   <li>AE: the report could not be stored ({@code TSR-0864}); resending later may succeed.</li>
 *   <li>AR: the sending application (MSH-3/MSH-4) is not in {@code hl7.allowedApplications} ({@code TSR-0867}); checked
 *       before any report is read from the message.</li>
 * </ul>
 * Nothing of the message but its control ID (MSH-10) and sending application is logged: parser messages can quote
 * message content, so only their kind is.
 * Orders of one message are stored one after another; if a later one fails, the earlier stay stored and a resend
 * finds them already there (same source ID), so nothing is duplicated.
 */
public final class Hl7ReportHandler {
    private static final Logger log = LoggerFactory.getLogger(Hl7ReportHandler.class);
    private final OruParser oru;
    private final Hl7Acks acks;
    private final ReportIntake intake;
    private final Hl7Senders senders;

    /** {@code accessionField} as in {@code hl7.accessionField}, e.g. {@code OBR-3}; any sending application. */
    public Hl7ReportHandler(ReportIntake intake, String accessionField, Clock clock) {
        this(intake, accessionField, clock, Hl7Senders.anyone());
    }

    /** As above, answering AR to a sending application {@code senders} does not allow. */
    public Hl7ReportHandler(ReportIntake intake, String accessionField, Clock clock, Hl7Senders senders) {
        this.intake = intake;
        this.senders = senders;
        this.oru = new OruParser(accessionField);
        this.acks = new Hl7Acks("TESSERA", clock);
    }

    /** The ACK (pipe-encoded, segments ended by CR) for {@code raw}. */
    public String handle(String raw) {
        Message message;
        try {
            if (raw == null || raw.isBlank()) throw new HL7Exception("empty message");
            message = oru.parse(raw);
        } catch (HL7Exception | RuntimeException e) {
            Hl7Acks.Inbound in = Hl7Acks.inbound(oru.parser(), raw == null ? "" : raw);
            log.warn("HL7 message {} refused: TSR-0860: not a parseable HL7 v2 message ({})", in.controlId(), e.getClass().getSimpleName());
            return acks.fail(oru.parser(), in, Hl7Failure.rejected("100", "TSR-0860: not a parseable HL7 v2 message: "
                    + firstLine(e.getMessage())));
        }
        Hl7Acks.Inbound in = inbound(message);
        if (!senders.applicationAllowed(in.sendingApp(), in.sendingFacility())) {
            log.warn("HL7 message {} refused: TSR-0867: sending application {}^{} not in hl7.allowedApplications",
                    in.controlId(), in.sendingApp(), in.sendingFacility());
            return acks.fail(oru.parser(), in, Hl7Failure.rejected("207",
                    "TSR-0867: sending application not allowed (hl7.allowedApplications)"));
        }
        try {
            OruMessage m = oru.read(message);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < m.orders().size(); i++) {
                OruMessage.Order o = m.orders().get(i);
                String sourceId = m.controlId().isEmpty() ? null : m.sender() + "|" + m.controlId() + "|" + (i + 1);
                ids.add(store(new IncomingReport(o.studyInstanceUid(), o.accessionNumber(), ReportSource.HL7, sourceId, o.text())));
            }
            return acks.accept(oru.parser(), in, "stored as report " + ids);
        } catch (Hl7Failure f) {
            log.warn("HL7 message {} answered {}: {}", in.controlId(), f.ack, f.getMessage());
            return acks.fail(oru.parser(), in, f);
        } catch (HL7Exception | RuntimeException e) {
            log.warn("HL7 message {} refused: TSR-0860: unreadable ORU^R01 ({})", in.controlId(), e.getClass().getSimpleName());
            return acks.fail(oru.parser(), in, Hl7Failure.rejected("102", "TSR-0860: unreadable ORU^R01: " + firstLine(e.getMessage())));
        }
    }

    private long store(IncomingReport report) throws Hl7Failure {
        try {
            return intake.accept(report).report().id();
        } catch (ReportRejected e) {
            throw Hl7Failure.rejected("101", e.getMessage());
        } catch (IllegalStateException e) {
            throw new Hl7Failure("AE", "207", "TSR-0864: the report could not be stored; resend later (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static Hl7Acks.Inbound inbound(Message message) {
        try {
            return Hl7Acks.Inbound.of((Segment) message.get("MSH"));
        } catch (HL7Exception | RuntimeException e) {
            return Hl7Acks.Inbound.UNKNOWN;
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
