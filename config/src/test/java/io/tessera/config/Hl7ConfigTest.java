package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hl7ConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_are_off_on_loopback_port_2575_with_accession_in_obr_3() throws Exception {
        Hl7Config h = new ConfigLoader().load(null, Map.of(), List.of()).hl7();
        assertEquals(Hl7Config.defaults(), h);
        assertFalse(h.enabled());
        assertEquals("127.0.0.1", h.bindAddress());
        assertEquals(2575, h.port());
        assertEquals("OBR-3", h.accessionField());
        assertEquals(4 * 1024 * 1024, h.maxFrameBytes());
        assertEquals(Duration.ofSeconds(30), h.idleTimeout());
        assertEquals(16, h.maxConnections());
        assertEquals(4, h.maxConnectionsPerAddress());
        assertEquals(List.of(), h.allowedSenders(), "any address");
        assertEquals(List.of(), h.allowedApplications(), "any sending application");
    }

    @Test
    void every_key_maps_from_yaml_environment_and_arguments() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "hl7: { enabled: true, bindAddress: 0.0.0.0, port: 6661, accessionField: ORC-3, maxFrameBytes: 65536,"
                + " idleTimeout: 10s, maxConnections: 4, maxConnectionsPerAddress: 1, allowedSenders: [10.1.2.0/24, 'fd00::7'],"
                + " allowedApplications: ['RIS^HOSPITAL'] }\nsecurity: { insecure: true }\n");
        Hl7Config h = new ConfigLoader().load(f, Map.of("TESSERA_HL7_PORT", "6662", "TESSERA_HL7_MAXCONNECTIONS", "6"),
                List.of("--hl7.accessionField=OBR-2.1", "--hl7.idleTimeout=45s", "--hl7.allowedApplications=RIS^HOSPITAL,PACSRIS"))
                .hl7();
        assertEquals(new Hl7Config(true, "0.0.0.0", 6662, "OBR-2.1", 65536, Duration.ofSeconds(45), 6, 1,
                List.of("10.1.2.0/24", "fd00::7"), List.of("RIS^HOSPITAL", "PACSRIS")), h);
    }

    @Test
    void tls_is_off_by_default_with_optional_client_certificates_and_bcp_195_protocols() throws Exception {
        Hl7TlsConfig t = new ConfigLoader().load(null, Map.of(), List.of()).hl7().tls();
        assertEquals(Hl7TlsConfig.off(), t);
        assertFalse(t.enabled());
        assertFalse(t.requireClientCert(), "client certificates optional (asked for, checked if sent)");
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), t.protocols());
    }

    @Test
    void tls_keys_map_from_yaml_environment_and_arguments_and_passwords_are_never_printed() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "hl7: { tls: { enabled: true, keyStore: /etc/tessera/hl7.p12, trustStore: /etc/tessera/ris.p12 } }\n");
        Hl7TlsConfig t = new ConfigLoader().load(f, Map.of("TESSERA_HL7_TLS_KEYSTOREPASSWORD", "k-secret",
                        "TESSERA_HL7_TLS_TRUST_STORE_PASSWORD", "t-secret"),
                List.of("--hl7.tls.requireClientCert=true", "--hl7.tls.protocols=TLSv1.3")).hl7().tls();
        assertEquals(new Hl7TlsConfig(true, "/etc/tessera/hl7.p12", "k-secret", "/etc/tessera/ris.p12", "t-secret", true,
                List.of("TLSv1.3")), t);
        assertFalse(t.toString().contains("secret"), t.toString());
    }

    @Test
    void tls_without_a_key_store_or_with_an_old_protocol_is_reported_with_its_path() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.tls.enabled=true", "--hl7.tls.protocols=TLSv1.1")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("hl7.tls.keyStoreGiven: keyStore is required when tls is enabled"), all);
        assertTrue(all.contains("hl7.tls.protocols[0]: must be TLSv1.3 or TLSv1.2 (BCP 195)"), all);
    }

    @Test
    void bad_port_blank_address_and_unknown_accession_field_are_reported_with_their_path() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.port=70000", "--hl7.bindAddress=", "--hl7.accessionField=PID-3")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("hl7.port: must be between 0 and 65535"), all);
        assertTrue(all.contains("hl7.bindAddress: must not be blank"), all);
        assertTrue(all.contains("hl7.accessionField: must be SEGMENT-FIELD or SEGMENT-FIELD.COMPONENT of OBR or ORC"), all);
    }

    @Test
    void bad_limits_and_allow_list_entries_are_reported_with_their_path() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.maxFrameBytes=100", "--hl7.idleTimeout=0s", "--hl7.maxConnections=0",
                        "--hl7.maxConnectionsPerAddress=0", "--hl7.allowedSenders=ris.example.org",
                        "--hl7.allowedApplications=RIS|X")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("hl7.maxFrameBytes: must be between 1024 and 268435456"), all);
        assertTrue(all.contains("hl7.idleTimeout: must be between 100ms and 1h"), all);
        assertTrue(all.contains("hl7.maxConnections: must be between 1 and 1000"), all);
        assertTrue(all.contains("hl7.maxConnectionsPerAddress: must be between 1 and 1000"), all);
        assertTrue(all.contains("hl7.allowedSenders[0]") && all.contains("must be an IP address or a network"), all);
        assertTrue(all.contains("hl7.allowedApplications[0]") && all.contains("APPLICATION^FACILITY"), all);

        ConfigException prefix = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.allowedSenders=10.1.2.3/24,10.0.0.0/40")));
        String p = String.join("\n", prefix.violations());
        assertTrue(p.contains("hl7.allowedSenders[0]: TSR-0117") && p.contains("hl7.allowedSenders[1]: TSR-0112"), p);
    }

    @Test
    void a_configured_but_disabled_section_is_noted_plainly_and_the_defaults_are_not() throws Exception {
        assertEquals(List.of(), ConfigNotes.of(new ConfigLoader().load(null, Map.of(), List.of())));
        List<String> notes = ConfigNotes.of(new ConfigLoader().load(null, Map.of(), List.of("--hl7.port=2576")));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("hl7.enabled is false") && notes.get(0).contains("2576"), notes.get(0));
        assertEquals(List.of(), ConfigNotes.of(new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.port=2576", "--hl7.enabled=true"))), "enabled: nothing to note");
        assertEquals(1, ConfigNotes.of(new ConfigLoader().load(null, Map.of(),
                List.of("--hl7.tls.enabled=true", "--hl7.tls.keyStore=k.p12"))).size(), "TLS configured on a disabled listener");
    }
}
