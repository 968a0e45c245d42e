package io.tessera.routes.reports;

/**
 * Why an HL7 message was not accepted, as its ACK will say: {@code ack} is MSA-1 ({@code AR} rejected: the sender must
 * change the message; {@code AE} application error: Tessera could not take it now, the sender may resend),
 * {@code hl7Error} an HL7 table 0357 code for ERR-3, and the message (starting with a stable Tessera code) goes to
 * MSA-3 and ERR-8.
 */
final class Hl7Failure extends Exception {
    final String ack;
    final String hl7Error;

    Hl7Failure(String ack, String hl7Error, String message) {
        super(message);
        this.ack = ack;
        this.hl7Error = hl7Error;
    }

    static Hl7Failure rejected(String hl7Error, String message) {
        return new Hl7Failure("AR", hl7Error, message);
    }
}
