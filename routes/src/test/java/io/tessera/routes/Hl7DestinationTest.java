package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.fhir.FhirTransaction;
import io.tessera.testkit.MllpListener;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ACK, or its absence, makes of an ORU^R01: sent, retried or parked, and what an ACK says. */
class Hl7DestinationTest {
    @TempDir Path dir;

    private Hl7Destination to(int port) {
        return new Hl7Destination(new DestinationConfig("ris", "hl7", null, "127.0.0.1", port, null, null, null,
                Duration.ofSeconds(2), null, false, null));
    }

    private Path bundle() throws Exception {
        return Files.writeString(dir.resolve("fhir-1.json"), FhirTransaction.json(NotifyFixtures.resultSet(5)));
    }

    @Test
    void an_aa_is_sent_with_a_control_id_that_a_retry_repeats() throws Exception {
        try (MllpListener ris = new MllpListener()) {
            to(ris.port()).send(new Transport("TESSERA"), "1.2", "fhir-key-1", bundle());
            to(ris.port()).send(new Transport("TESSERA"), "1.2", "fhir-key-1", bundle());
            assertEquals(2, ris.received.size());
            assertEquals(MllpListener.field(ris.received.get(0), 10), MllpListener.field(ris.received.get(1), 10));
            assertEquals(Hl7Destination.controlId("fhir-key-1"), MllpListener.field(ris.received.get(0), 10));
            assertEquals("TESSERA", MllpListener.field(ris.received.get(0), 3), "the default sending application");
        }
    }

    @Test
    void no_listener_is_retried_and_an_ar_or_an_unreadable_bundle_parks() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Deliverer.DeliveryException none = assertThrows(Deliverer.DeliveryException.class,
                () -> to(closed).send(new Transport("TESSERA"), "1.2", "k", bundle()));
        assertTrue(none.retryable() && none.getMessage().startsWith("TSR-0731"), none.getMessage());
        try (MllpListener ris = new MllpListener()) {
            ris.ackCode = "AR";
            Deliverer.DeliveryException refused = assertThrows(Deliverer.DeliveryException.class,
                    () -> to(ris.port()).send(new Transport("TESSERA"), "1.2", "k", bundle()));
            assertFalse(refused.retryable());
            assertTrue(refused.getMessage().contains("TSR-0732") && refused.getMessage().contains("AR, error 204"),
                    refused.getMessage());
            Path broken = Files.writeString(dir.resolve("broken.json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
            Deliverer.DeliveryException unusable = assertThrows(Deliverer.DeliveryException.class,
                    () -> to(ris.port()).send(new Transport("TESSERA"), "1.2", "k", broken));
            assertFalse(unusable.retryable());
            assertTrue(unusable.getMessage().startsWith("TSR-0730"), unusable.getMessage());
        }
    }

    @Test
    void an_ack_is_read_from_msa_and_err_in_any_delimiters() {
        Hl7Ack aa = Hl7Ack.parse("MSH|^~\\&|RIS||T||20240101||ACK|9|P|2.3\rMSA|AA|C1\r");
        assertTrue(aa.accepted());
        assertEquals("C1", aa.controlId());
        Hl7Ack ae = Hl7Ack.parse("MSH#$~\\&#RIS\nMSA#AE#C2\nERR###207$Application internal error$HL70357#E####Disk full\n");
        assertFalse(ae.accepted());
        assertEquals(java.util.List.of("AE", "C2", "207", "Disk full"), java.util.List.of(ae.code(), ae.controlId(), ae.errorCode(), ae.text()));
        assertEquals("", Hl7Ack.parse("garbage").code());
    }
}
