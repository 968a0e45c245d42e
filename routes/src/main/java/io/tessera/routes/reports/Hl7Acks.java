package io.tessera.routes.reports;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v25.message.ACK;
import ca.uhn.hl7v2.model.v25.segment.ERR;
import ca.uhn.hl7v2.model.v25.segment.MSH;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the ACK for an inbound message: MSA-1 AA (accepted), AE (application error: resend later) or AR (rejected:
 * fix the message), MSA-2 the inbound control ID, MSA-3 and ERR-8 the reason, ERR-3 an HL7 table 0357 code, ERR-4
 * severity E. Built by hand rather than with HAPI's {@code generateACK}, whose control-ID generator writes a file in
 * the working directory, and because a message too broken to parse still deserves an answer (from whatever of its
 * MSH can be read).
 */
final class Hl7Acks {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private final String application;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final String prefix;

    Hl7Acks(String application, Clock clock) {
        this.application = application;
        this.clock = clock;
        this.prefix = Long.toString(clock.millis(), 36).toUpperCase();
    }

    /** The inbound header fields an ACK echoes; all may be empty. */
    record Inbound(String controlId, String sendingApp, String sendingFacility, String receivingFacility, String triggerEvent,
                   String processingId, String version) {
        static final Inbound UNKNOWN = new Inbound("", "", "", "", "", "P", "2.5");

        static Inbound of(Segment msh) {
            return new Inbound(get(msh, 10, 1), get(msh, 3, 1), get(msh, 4, 1), get(msh, 6, 1), get(msh, 9, 2),
                    or(get(msh, 11, 1), "P"), or(get(msh, 12, 1), "2.5"));
        }

        private static String get(Segment msh, int field, int component) {
            try {
                String v = Terser.get(msh, field, 0, component, 1);
                return v == null ? "" : v;
            } catch (HL7Exception | RuntimeException e) {
                return "";
            }
        }

        private static String or(String v, String dflt) {
            return v.isBlank() ? dflt : v;
        }
    }

    /** The MSH of a message that may not parse as a whole; {@link Inbound#UNKNOWN} when not even that can be read. */
    static Inbound inbound(PipeParser parser, String raw) {
        try {
            Segment msh = parser.getCriticalResponseData(OruParser.normalise(raw));
            return msh == null ? Inbound.UNKNOWN : Inbound.of(msh);
        } catch (HL7Exception | RuntimeException e) {
            return Inbound.UNKNOWN;
        }
    }

    String accept(PipeParser parser, Inbound in, String text) {
        return build(parser, in, "AA", null, text);
    }

    String fail(PipeParser parser, Inbound in, Hl7Failure f) {
        return build(parser, in, f.ack, f.hl7Error, f.getMessage());
    }

    private String build(PipeParser parser, Inbound in, String code, String hl7Error, String text) {
        try {
            ACK ack = new ACK();
            MSH msh = ack.getMSH();
            msh.getFieldSeparator().setValue("|");
            msh.getEncodingCharacters().setValue("^~\\&");
            msh.getSendingApplication().getNamespaceID().setValue(application);
            msh.getReceivingApplication().getNamespaceID().setValue(in.sendingApp());
            msh.getReceivingFacility().getNamespaceID().setValue(in.sendingFacility());
            msh.getSendingFacility().getNamespaceID().setValue(in.receivingFacility());
            msh.getDateTimeOfMessage().getTime().setValue(TS.format(clock.instant()));
            msh.getMessageType().getMessageCode().setValue("ACK");
            msh.getMessageType().getTriggerEvent().setValue(in.triggerEvent());
            msh.getMessageType().getMessageStructure().setValue("ACK");
            msh.getMessageControlID().setValue(prefix + "-" + sequence.incrementAndGet());
            msh.getProcessingID().getProcessingID().setValue(in.processingId());
            msh.getVersionID().getVersionID().setValue(in.version());
            ack.getMSA().getAcknowledgmentCode().setValue(code);
            ack.getMSA().getMessageControlID().setValue(in.controlId());
            if (text != null) ack.getMSA().getTextMessage().setValue(clip(text, 80));
            if (hl7Error != null) {
                ERR err = ack.getERR();
                err.getHL7ErrorCode().getIdentifier().setValue(hl7Error);
                err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
                err.getSeverity().setValue("E");
                err.getUserMessage().setValue(clip(text, 250));
            }
            return parser.encode(ack);
        } catch (HL7Exception e) {
            // Only reachable through a bug in the fields above; still answer in MLLP terms.
            return "MSH|^~\\&|" + application + "|||||ACK|" + prefix + "-X|P|2.5\rMSA|AE|" + in.controlId() + "\r";
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
