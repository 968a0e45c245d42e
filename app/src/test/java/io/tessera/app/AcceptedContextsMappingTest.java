package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import io.tessera.listener.AcceptedContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the listener is given from the configuration's accepted SOP classes and transfer syntaxes. */
class AcceptedContextsMappingTest {
    @TempDir
    Path dir;

    @Test
    void keywords_and_uids_become_the_listeners_uids_in_the_configured_order() throws Exception {
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, """
                dicom:
                  acceptedSopClasses: [CTImageStorage, "1.2.840.10008.5.1.4.1.1.4"]
                  acceptedTransferSyntaxes: [JPEGLSLossless, ExplicitVRLittleEndian]
                """);
        TesseraConfig config = new ConfigLoader().load(file, Map.of(), List.of());
        AcceptedContexts accepted = TesseraServer.acceptedContexts(config.dicom());
        assertFalse(accepted.allStorage());
        assertEquals(java.util.Set.of("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4"), accepted.sopClasses());
        assertEquals(List.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.1"), accepted.transferSyntaxes());
    }

    @Test
    void the_defaults_accept_every_storage_class_and_verification() throws Exception {
        AcceptedContexts accepted = TesseraServer.acceptedContexts(new ConfigLoader().load(null, Map.of(), List.of()).dicom());
        assertTrue(accepted.allStorage());
        assertTrue(accepted.sopClasses().contains(AcceptedContexts.VERIFICATION));
        assertEquals("1.2.840.10008.1.2.1", accepted.transferSyntaxes().get(0), "explicit little endian preferred");
    }
}
