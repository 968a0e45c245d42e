package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.fhir.OruR01;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * A RIS or EHR without FHIR ({@code type: hl7}): each result set goes as one ORU^R01 v2.5.1 ({@link OruR01}) over
 * MLLP, optionally TLS, and the ACK decides: AA (or CA) sent; AE or AR parked with the receiver's reason; no answer,
 * a timeout or an unreadable ACK retried with the outbox's back-off. It takes results, not images: the outbox hands it
 * the FHIR transaction Bundle the job runner wrote. MSH-10 is derived from the outbox key, so a retry repeats the
 * control ID and a receiver can drop the duplicate. The message is patient data: nothing of it is logged or put in
 * an error; an error names the destination and what the ACK said.
 */
record Hl7Destination(DestinationConfig config, Clock clock) implements Destination {
    Hl7Destination(DestinationConfig config) {
        this(config, Clock.systemUTC());
    }

    @Override
    public boolean takesImages() {
        return false;
    }

    @Override
    public String auditTarget() {
        return "mllp" + (config.hl7UsesTls() ? "s" : "") + "://" + config.host() + ":" + config.port();
    }

    @Override
    public void send(Transport via, String studyUid, String key, Path bundle) throws Deliverer.DeliveryException {
        String message;
        String controlId = controlId(key);
        try {
            var h = config.hl7OrDefaults();
            message = OruR01.fromTransaction(Files.readString(bundle, StandardCharsets.UTF_8), new OruR01.Header(
                    h.sendingApplicationOrDefault(), h.sendingFacilityOrEmpty(), h.receivingApplicationOrEmpty(),
                    h.receivingFacilityOrEmpty()), controlId, clock.instant());
        } catch (IOException | RuntimeException e) {
            throw new Deliverer.DeliveryException("TSR-0730: hl7 destination '" + config.name()
                    + "' cannot make the ORU^R01 from the result set " + bundle.getFileName() + ": " + e.getClass().getSimpleName(),
                    e, false);
        }
        String answer;
        try {
            answer = MllpClient.exchange(config.host(), config.port(), config.tls(), config.timeoutOrDefault(), message);
        } catch (MllpClient.TlsSetupException e) {
            throw new Deliverer.DeliveryException("TSR-0734: hl7 destination '" + config.name() + "': " + e.getMessage(), e, false);
        } catch (IOException e) {
            throw new Deliverer.DeliveryException("TSR-0731: no ACK from hl7 destination '" + config.name() + "' ("
                    + auditTarget() + "): " + e, e);
        }
        Hl7Ack ack = Hl7Ack.parse(answer);
        if (!controlId.equals(ack.controlId())) {
            throw new Deliverer.DeliveryException("TSR-0733: hl7 destination '" + config.name() + "' answered with "
                    + (ack.code().isEmpty() ? "no MSA" : "an ACK for control ID '" + ack.controlId() + "'")
                    + ", not for " + controlId);
        }
        if (!ack.accepted()) {
            throw new Deliverer.DeliveryException("TSR-0732: hl7 destination '" + config.name() + "' refused the ORU^R01 ("
                    + ack.code() + (ack.errorCode().isEmpty() ? "" : ", error " + ack.errorCode()) + "): " + ack.text(), false);
        }
    }

    static String controlId(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "TSR" + HexFormat.of().formatHex(d, 0, 8).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
