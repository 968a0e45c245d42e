package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    static final String README_EXAMPLE = """
            dicom: { aeTitle: TESSERA, bindAddress: 127.0.0.1, port: 11112 }
            storage: { dir: ./var }
            completion: { quietPeriod: 3s }
            http: { bindAddress: 127.0.0.1, port: 8080 }
            destinations:
              - { name: pacs, type: dicom, aeTitle: ORTHANC, host: 127.0.0.1, port: 4242 }
              - { name: results, type: folder, path: ./results }
            routes:
              - { name: ct-organs, match: { modality: CT }, models: [ct-phantom-organs], destinations: [pacs, results] }
            """;

    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void defaults_alone_are_valid() throws Exception {
        TesseraConfig c = new ConfigLoader().load(null, Map.of(), List.of());
        assertEquals("TESSERA", c.dicom().aeTitle());
        assertEquals(11112, c.dicom().port());
        assertEquals("127.0.0.1", c.dicom().bindAddress());
        assertEquals(Duration.ofSeconds(10), c.completion().quietPeriod());
        assertEquals(List.of("cpu"), c.inference().providers());
        assertEquals(List.of("models"), c.models().dirs());
        assertTrue(c.routes().isEmpty());
        assertTrue(c.fhir().enabled());
        assertEquals(List.of(), c.dicom().allowedCallingAeTitles());
        assertEquals(131072, c.dicom().maxPduLength());
        TlsConfig tls = c.dicom().tls();
        assertFalse(tls.enabled());
        assertEquals(2762, tls.port());
        assertTrue(tls.requireClientCert());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        assertEquals("", tls.keyStore());
        assertEquals(64, c.dicom().limits().maxAssociations());
        assertEquals(0, c.dicom().limits().maxStudyBytes());
        assertEquals(512L << 20, c.dicom().limits().maxInstanceBytes());
        assertEquals(16, c.dicom().limits().maxConnectionsPerSource());
        assertEquals(Duration.ofSeconds(10), c.dicom().limits().associateTimeout());
        assertEquals("", c.dicom().audit().file());
        DicomUids.Resolved accepted = DicomUids.resolve(c.dicom());
        assertTrue(accepted.allStorage());
        assertEquals(List.of("1.2.840.10008.1.1"), accepted.sopClassUids());
        assertEquals(List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99",
                "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90",
                "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.50",
                "1.2.840.10008.1.2.4.51"), accepted.transferSyntaxUids());
    }

    @Test
    void accepted_sop_classes_and_transfer_syntaxes_map_keywords_and_uids_in_order() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write("""
                dicom:
                  allowedCallingAeTitles: ["PACS1@10.1.2.0/24", "CT_SCANNER@fd00::/64", "MR@mr.example.org"]
                  acceptedSopClasses: [CTImageStorage, "1.3.6.1.4.1.99999.1.1", Verification, CTImageStorage]
                  acceptedTransferSyntaxes: [JPEGLSLossless, "1.2.840.10008.1.2.1"]
                """), Map.of(), List.of());
        assertEquals(List.of("PACS1@10.1.2.0/24", "CT_SCANNER@fd00::/64", "MR@mr.example.org"), c.dicom().allowedCallingAeTitles());
        DicomUids.Resolved r = DicomUids.resolve(c.dicom());
        assertFalse(r.allStorage());
        assertEquals(List.of("1.2.840.10008.5.1.4.1.1.2", "1.3.6.1.4.1.99999.1.1", "1.2.840.10008.1.1"), r.sopClassUids());
        assertEquals(List.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.1"), r.transferSyntaxUids());
        TesseraConfig env = new ConfigLoader().load(null,
                Map.of("TESSERA_DICOM_ACCEPTEDTRANSFERSYNTAXES", "ExplicitVRLittleEndian"), List.of());
        assertEquals(List.of("1.2.840.10008.1.2.1"), DicomUids.resolve(env.dicom()).transferSyntaxUids());
    }

    @Test
    void unknown_keywords_and_malformed_uids_are_violations_naming_the_entry() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write("""
                dicom:
                  acceptedSopClasses: [CtImageStorage, "1.2.840.10008.5.1.4.1.1.02", StudyRootQueryRetrieveInformationModelFind]
                  acceptedTransferSyntaxes: [ExplicitVRLittleEndian, JPEGLS, "1.2..3"]
                """), Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("dicom.acceptedSopClasses[0]: TSR-0113: unknown SOP class keyword 'CtImageStorage'"), all);
        assertTrue(all.contains("did you mean CTImageStorage?"), all);
        assertTrue(all.contains("dicom.acceptedSopClasses[1]: TSR-0114: '1.2.840.10008.5.1.4.1.1.02' is not a well-formed UID"), all);
        assertTrue(all.contains("dicom.acceptedSopClasses[2]: TSR-0113"), all);
        assertTrue(all.contains("dicom.acceptedTransferSyntaxes[1]: TSR-0115: unknown transfer syntax keyword 'JPEGLS'"), all);
        assertTrue(all.contains("dicom.acceptedTransferSyntaxes[2]: TSR-0114"), all);
        assertEquals(5, e.violations().size(), all);
        ConfigException empty = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(
                "dicom: { acceptedTransferSyntaxes: [] }\n"), Map.of(), List.of()));
        assertTrue(String.join("\n", empty.violations()).contains("dicom.acceptedTransferSyntaxes: TSR-0116"), empty.violations().toString());
    }

    @Test
    void listener_security_limits_and_audit_keys_map_every_field() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write("""
                dicom:
                  port: -1
                  allowedCallingAeTitles: [CT1, "PACS@10.0.0.5", "MR@mr.example.org"]
                  maxPduLength: 65536
                  tls: { enabled: true, port: 11113, keyStore: /etc/tessera/key.p12, keyStorePassword: kp,
                         trustStore: /etc/tessera/trust.p12, trustStorePassword: tp, requireClientCert: false,
                         protocols: [TLSv1.3] }
                  limits: { maxAssociations: 8, maxStudyBytes: 10737418240, maxInstanceBytes: 1073741824,
                            maxConnectionsPerSource: 4, associateTimeout: 2500ms }
                  audit: { file: /var/log/tessera/audit.log }
                """), Map.of(), List.of());
        DicomConfig d = c.dicom();
        assertEquals(-1, d.port());
        assertEquals(List.of("CT1", "PACS@10.0.0.5", "MR@mr.example.org"), d.allowedCallingAeTitles());
        assertEquals(65536, d.maxPduLength());
        assertEquals(List.of(true, 11113, "/etc/tessera/key.p12", "kp", "/etc/tessera/trust.p12", "tp", false, List.of("TLSv1.3")),
                List.of(d.tls().enabled(), d.tls().port(), d.tls().keyStore(), d.tls().keyStorePassword(), d.tls().trustStore(),
                        d.tls().trustStorePassword(), d.tls().requireClientCert(), d.tls().protocols()));
        assertFalse(d.tls().toString().contains("kp"), "passwords are not printed");
        assertEquals(8, d.limits().maxAssociations());
        assertEquals(10737418240L, d.limits().maxStudyBytes());
        assertEquals(1073741824L, d.limits().maxInstanceBytes());
        assertEquals(4, d.limits().maxConnectionsPerSource());
        assertEquals(Duration.ofMillis(2500), d.limits().associateTimeout());
        assertEquals("/var/log/tessera/audit.log", d.audit().file());
    }

    @Test
    void tls_without_key_store_an_old_protocol_a_bad_allow_list_entry_and_no_port_are_violations() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write("""
                dicom:
                  port: -1
                  allowedCallingAeTitles: ["BAD@", "NET@10.0.0.0/8/8"]
                  tls: { protocols: [TLSv1.1] }
                  limits: { maxAssociations: 0, maxConnectionsPerSource: 0, associateTimeout: 0s }
                """), Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("dicom.limits.maxConnectionsPerSource: must be greater than or equal to 1"), all);
        assertTrue(all.contains("dicom.limits.associateTimeout: must be between 100ms and 5m"), all);
        assertTrue(all.contains("dicom.anyPortOpen: port -1"), all);
        assertTrue(all.contains("dicom.tls.protocols[0]: must be TLSv1.3 or TLSv1.2"), all);
        assertTrue(all.contains("dicom.allowedCallingAeTitles[0]: must be AE or AE@host"), all);
        assertTrue(all.contains("dicom.allowedCallingAeTitles[1]: must be AE or AE@host or AE@network/prefix"), all);
        ConfigException nets = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write("""
                dicom:
                  allowedCallingAeTitles: ["PACS1@10.1.2.0/24", "PACS2@10.1.2.0/33", "CT@fd00::1/64", "MR@10.1.2.3"]
                """), Map.of(), List.of()));
        String netProblems = String.join("\n", nets.violations());
        assertTrue(netProblems.contains("dicom.allowedCallingAeTitles[1]: TSR-0112"), netProblems);
        assertTrue(netProblems.contains("'PACS2@10.1.2.0/33'"), netProblems);
        assertTrue(netProblems.contains("dicom.allowedCallingAeTitles[2]: TSR-0117"), netProblems);
        assertEquals(2, nets.violations().size(), netProblems);
        assertTrue(all.contains("dicom.limits.maxAssociations: must be greater than or equal to 1"), all);
        ConfigException noKey = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(
                "dicom: { tls: { enabled: true } }\n"), Map.of(), List.of()));
        assertTrue(String.join("\n", noKey.violations()).contains("dicom.tls.keyStoreGiven: keyStore is required"),
                noKey.violations().toString());
    }

    @Test
    void readme_example_maps_every_key() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE), Map.of(), List.of());
        assertEquals(Duration.ofSeconds(3), c.completion().quietPeriod());
        assertEquals(8080, c.http().port());
        assertEquals("./var", c.storage().dir());
        assertEquals(2, c.destinations().size());
        DestinationConfig pacs = c.destinations().get(0);
        assertEquals(List.of("pacs", "dicom", "ORTHANC", "127.0.0.1", 4242), List.of(pacs.name(), pacs.type(), pacs.aeTitle(), pacs.host(), pacs.port()));
        assertEquals("./results", c.destinations().get(1).path());
        RouteConfig r = c.routes().get(0);
        assertEquals("CT", r.match().modality());
        assertEquals(List.of("ct-phantom-organs"), r.models());
        assertEquals(List.of("pacs", "results"), r.destinations());
        assertTrue(ConfigLoader.referenceProblems(c, Set.of("ct-phantom-organs")).isEmpty());
    }

    @Test
    void environment_and_arguments_override_the_file_in_that_order() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE),
                Map.of("TESSERA_DICOM_PORT", "11113", "TESSERA_DICOM_AE_TITLE", "ENVAE", "TESSERA_HTTP_PORT", "9000",
                        "TESSERA_HOME", "/opt/tessera", "TESSERA_DICOM_ALLOWEDCALLINGAETITLES", "A,B"),
                List.of("--http.port=9001", "--routes[0].match.modality=MR", "--completion.quietPeriod=500ms"));
        assertEquals(11113, c.dicom().port());
        assertEquals("ENVAE", c.dicom().aeTitle());
        assertEquals(List.of("A", "B"), c.dicom().allowedCallingAeTitles());
        assertEquals(9001, c.http().port());
        assertEquals("MR", c.routes().get(0).match().modality());
        assertEquals(Duration.ofMillis(500), c.completion().quietPeriod());
    }

    @Test
    void every_violation_is_listed_with_its_path() throws Exception {
        Path f = write("""
                dicom: { aeTitle: "THIS_AE_TITLE_IS_FAR_TOO_LONG", port: 70000 }
                completion: { quietPeriod: 10ms }
                destinations:
                  - { name: pacs, type: dicom, host: 127.0.0.1 }
                  - { name: results, type: ftp }
                routes:
                  - { name: r, models: [x], destinations: [] }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("dicom.aeTitle: must be 1-16"), all);
        assertTrue(all.contains("dicom.port: must be less than or equal to 65535"), all);
        assertTrue(all.contains("completion.quietPeriod: must be between"), all);
        assertTrue(all.contains("destinations[0]: a dicom destination needs aeTitle, host and port"), all);
        assertTrue(all.contains("destinations[1].type: must be one of dicom, folder, fhir"), all);
        assertTrue(all.contains("routes[0].destinations: must not be empty"), all);
    }

    @Test
    void unknown_models_and_destinations_are_named_with_their_path() throws Exception {
        Path f = write(README_EXAMPLE.replace("[pacs, results]", "[pacs, nowhere]").replace("[ct-phantom-organs]", "[x]"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(f, Map.of(), List.of(), c -> Set.of("ct-phantom-organs")));
        List<String> p = e.violations();
        assertTrue(p.contains("routes[0].models[0]: unknown model 'x' (known: [ct-phantom-organs])"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("routes[0].destinations[1]: unknown destination 'nowhere'")), p.toString());
    }

    @Test
    void constraint_violations_and_unknown_references_are_reported_together() throws Exception {
        Path f = write("dicom: { port: 99999 }\nroutes:\n  - { name: r, models: [x], destinations: [nowhere] }\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(f, Map.of(), List.of(), c -> Set.of("ct-phantom-organs")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("dicom.port: must be less than or equal to 65535"), all);
        assertTrue(all.contains("routes[0].models[0]: unknown model 'x'"), all);
        assertTrue(all.contains("routes[0].destinations[0]: unknown destination 'nowhere'"), all);
    }

    @Test
    void unknown_keys_and_bad_values_are_refused_with_their_path() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(write("dicom: { prot: 1 }\n"), Map.of(), List.of()));
        assertTrue(e.violations().get(0).startsWith("dicom.prot: "), e.violations().toString());
        e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(write("completion: { quietPeriod: soon }\n"), Map.of(), List.of()));
        assertTrue(e.violations().get(0).startsWith("completion.quietPeriod: not a duration"), e.violations().toString());
    }

    @Test
    void completion_defaults_are_a_global_quiet_period_without_release_trigger() throws Exception {
        CompletionConfig c = new ConfigLoader().load(null, Map.of(), List.of()).completion();
        assertEquals(Map.of(), c.perCallingAe());
        assertFalse(c.onAssociationRelease());
        assertEquals(List.of(), c.onAssociationReleaseFor());
        assertEquals(Duration.ofSeconds(2), c.releaseGrace());
        assertFalse(c.releaseCompletes("CT1"));
    }

    @Test
    void completion_keys_and_route_quiet_periods_map_every_field() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE.replace("completion: { quietPeriod: 3s }", """
                completion:
                  quietPeriod: 20s
                  perCallingAe: { CT_SCANNER_1: 5s, PACS: 30s }
                  onAssociationReleaseFor: [CT_SCANNER_1]
                  releaseGrace: 500ms
                """).replace("destinations: [pacs, results]", "destinations: [pacs, results], quietPeriod: 45s")),
                Map.of(), List.of("--completion.perCallingAe.MR_1=2m"));
        CompletionConfig k = c.completion();
        assertEquals(Duration.ofSeconds(20), k.quietPeriod());
        assertEquals(Map.of("CT_SCANNER_1", Duration.ofSeconds(5), "PACS", Duration.ofSeconds(30), "MR_1", Duration.ofMinutes(2)),
                k.perCallingAe());
        assertFalse(k.onAssociationRelease());
        assertEquals(List.of("CT_SCANNER_1"), k.onAssociationReleaseFor());
        assertEquals(Duration.ofMillis(500), k.releaseGrace());
        assertTrue(k.releaseCompletes("CT_SCANNER_1"));
        assertFalse(k.releaseCompletes("PACS"));
        assertEquals(Duration.ofSeconds(45), c.routes().get(0).quietPeriod());
        assertTrue(new ConfigLoader().load(write("completion: { onAssociationRelease: true }\n"), Map.of(), List.of())
                .completion().releaseCompletes("ANY"));
    }

    @Test
    void completion_durations_and_ae_titles_are_validated_with_their_path() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(README_EXAMPLE
                .replace("completion: { quietPeriod: 3s }", """
                completion:
                  perCallingAe: { OK_AE: 10ms, "AE_TITLE_FAR_TOO_LONG": 5s }
                  onAssociationReleaseFor: ["BAD\\\\AE"]
                  releaseGrace: 1h
                """).replace("destinations: [pacs, results] }", "destinations: [pacs, results], quietPeriod: 0s }")),
                Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("completion.perCallingAe[OK_AE]: must be between 100ms and 24h"), all);
        assertTrue(all.contains("completion.perCallingAe[AE_TITLE_FAR_TOO_LONG]: must be an AE title"), all);
        assertTrue(all.contains("completion.onAssociationReleaseFor[0]: must be an AE title"), all);
        assertTrue(all.contains("completion.releaseGrace: must be between 0s and 10m"), all);
        assertTrue(all.contains("routes[0].quietPeriod: must be between 100ms and 24h"), all);
        ConfigException negative = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(write("completion: { releaseGrace: PT-1S }\n"), Map.of(), List.of()));
        assertEquals(List.of("completion.releaseGrace: must be between 0s and 10m"), negative.violations());
    }

    @Test
    void a_dicom_destination_maps_its_tls_settings_and_defaults_to_bcp_195_protocols() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE.replace(
                "port: 4242",
                "port: 4242,\n                  tls: { enabled: true, trustStore: /etc/tessera/pacs-trust.p12, trustStorePassword: tp,"
                        + " keyStore: /etc/tessera/client.p12, keyStorePassword: kp }")), Map.of(), List.of());
        DestinationConfig pacs = c.destinations().get(0);
        DestinationTlsConfig tls = pacs.tls();
        assertTrue(pacs.usesTls());
        assertEquals(List.of("/etc/tessera/pacs-trust.p12", "tp", "/etc/tessera/client.p12", "kp", List.of("TLSv1.3", "TLSv1.2")),
                List.of(tls.trustStore(), tls.trustStorePassword(), tls.keyStore(), tls.keyStorePassword(), tls.protocols()));
        assertFalse(tls.toString().contains("kp") || tls.toString().contains("tp,"), "passwords are not printed");
        assertNull(c.destinations().get(1).tls());
        assertFalse(c.destinations().get(1).usesTls());
    }

    @Test
    void destination_tls_with_an_old_protocol_or_on_a_folder_is_a_violation() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(README_EXAMPLE
                .replace("port: 4242 }", "port: 4242, tls: { enabled: true, protocols: [TLSv1.1] } }")
                .replace("path: ./results }", "path: ./results, tls: { enabled: true } }")), Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("destinations[0].tls.protocols[0]: must be TLSv1.3 or TLSv1.2"), all);
        assertTrue(all.contains("destinations[1].tlsOnlyForDicom: tls applies only to a dicom or hl7 destination"), all);
    }

    @Test
    void an_hl7_destination_maps_host_port_tls_and_its_msh_fields_and_needs_host_and_port() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE.replace("\nroutes:",
                "\n  - { name: ris, type: hl7, host: 127.0.0.1, port: 2575, tls: { enabled: true },"
                        + " hl7: { receivingApplication: RIS, receivingFacility: HOSP } }\nroutes:")
                .replace("[pacs, results]", "[pacs, ris]")), Map.of(), List.of());
        DestinationConfig ris = c.destinations().get(2);
        assertEquals(List.of("hl7", "127.0.0.1", 2575, "RIS", "HOSP", "TESSERA"), List.of(ris.type(), ris.host(), ris.port(),
                ris.hl7().receivingApplication(), ris.hl7().receivingFacility(), ris.hl7OrDefaults().sendingApplicationOrDefault()));
        assertTrue(ris.hl7UsesTls());
        assertFalse(ris.usesTls(), "DICOM TLS is for dicom destinations");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(README_EXAMPLE
                .replace("\nroutes:", "\n  - { name: ris, type: hl7, hl7: { receivingApplication: 'R|S' } }\nroutes:")
                .replace("path: ./results }", "path: ./results, hl7: { receivingApplication: RIS } }")), Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("destinations[2].hl7Complete"), all);
        assertTrue(all.contains("destinations[2].hl7.receivingApplication: must not contain HL7 delimiters"), all);
        assertTrue(all.contains("destinations[1].hl7OnlyForHl7"), all);
    }

    @Test
    void patient_identifier_systems_map_each_issuer_and_default_to_none() throws Exception {
        assertEquals(Map.of(), new ConfigLoader().load(write(README_EXAMPLE), Map.of(), List.of()).fhir()
                .patientIdentifierSystems());
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE + "fhir:\n  patientIdentifierSystem: urn:oid:1.2.3\n"
                + "  patientIdentifierSystems: { HOSP_A: 'urn:oid:1.2.3.4', 'CLINIC B': 'https://clinic-b.example/mrn' }\n"),
                Map.of(), List.of());
        assertEquals("urn:oid:1.2.3", c.fhir().patientIdentifierSystem());
        assertEquals(Map.of("HOSP_A", "urn:oid:1.2.3.4", "CLINIC B", "https://clinic-b.example/mrn"),
                c.fhir().patientIdentifierSystems());
    }

    @Test
    void a_fhir_destination_maps_url_auth_and_timeout_and_a_dicom_one_its_fallback() throws Exception {
        TesseraConfig c = new ConfigLoader().load(write(README_EXAMPLE
                .replace("port: 4242", "port: 4242, burnedInFallback: true, timeout: 5s")
                // a third destination, last in the list
                .replace("\nroutes:", "\n  - { name: ehr, type: fhir, url: 'https://ehr.example/fhir',"
                        + " timeout: 20s, auth: { type: bearer, token: s3cret } }\nroutes:")), Map.of(), List.of());
        DestinationConfig pacs = c.destinations().get(0);
        assertTrue(pacs.burnedInFallback());
        assertEquals(Duration.ofSeconds(5), pacs.timeoutOrDefault());
        assertFalse(c.destinations().get(1).burnedInFallback());
        assertEquals(DestinationConfig.DEFAULT_TIMEOUT, c.destinations().get(1).timeoutOrDefault());
        DestinationConfig ehr = c.destinations().get(2);
        assertEquals(List.of("fhir", "https://ehr.example/fhir", Duration.ofSeconds(20), "bearer", "s3cret"),
                List.of(ehr.type(), ehr.url(), ehr.timeout(), ehr.auth().type(), ehr.auth().token()));
        assertFalse(ehr.auth().toString().contains("s3cret"), "secrets are not printed");
    }

    @Test
    void a_fhir_destination_without_url_or_with_incomplete_auth_and_a_folder_with_fallback_are_violations() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(write(README_EXAMPLE
                .replace("path: ./results }", "path: ./results, burnedInFallback: true }\n  - { name: ehr, type: fhir,"
                        + " auth: { type: basic, username: u } }\n  - { name: ehr2, type: fhir, url: 'ftp://x', timeout: 1ms }")),
                Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("destinations[1].fallbackOnlyForDicom: burnedInFallback applies only to a dicom destination"), all);
        assertTrue(all.contains("destinations[2]: a fhir destination needs an http or https url"), all);
        assertTrue(all.contains("destinations[2].auth.basicComplete: basic auth needs username and password"), all);
        assertTrue(all.contains("destinations[3]: a fhir destination needs"), all);
        assertTrue(all.contains("destinations[3].timeout: must be between 100ms and 1h"), all);
    }

    @Test
    void delivery_defaults_are_two_seconds_doubling_to_five_minutes_ten_attempts_a_day() throws Exception {
        DeliveryConfig d = new ConfigLoader().load(null, Map.of(), List.of()).delivery();
        assertEquals(DeliveryConfig.defaults(), d);
        assertEquals(Duration.ofSeconds(2), d.initialBackoff());
        assertEquals(Duration.ofMinutes(5), d.maxBackoff());
        assertEquals(10, d.maxAttempts());
        assertEquals(Duration.ofHours(24), d.maxAge());
    }

    @Test
    void delivery_keys_are_bound_and_out_of_range_values_are_reported_with_their_path() throws Exception {
        DeliveryConfig d = new ConfigLoader().load(write("delivery: { initialBackoff: 100ms, maxBackoff: 1s, maxAttempts: 4 }\n"),
                Map.of(), List.of()).delivery();
        assertEquals(Duration.ofMillis(100), d.initialBackoff());
        assertEquals(Duration.ofSeconds(1), d.maxBackoff());
        assertEquals(4, d.maxAttempts());
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(
                write("delivery: { initialBackoff: 10s, maxBackoff: 1s, maxAttempts: 0 }\n"), Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("delivery.maxAttempts: must be between 1 and 1000"), all);
        assertTrue(all.contains("delivery.backoffOrdered: maxBackoff must not be shorter than initialBackoff"), all);
    }

    @Test
    void rules_on_any_attribute_parse_from_shorthand_and_maps_and_bad_ones_are_named() throws Exception {
        Path f = write(README_EXAMPLE.replace("match: { modality: CT }", """
                match: { modality: CT, timeOfDay: "22:00-06:00", maxInstances: 2000, attributes: {
                  Manufacturer: SIEMENS, StationName: { in: [CT1, CT2] }, SliceThickness: { max: 1.5 },
                  ImageType: { contains: AXIAL }, StudyDescription: { regex: "thorax|chest" } } }, priority: 5, select: thinnest""")
                .replace("\n                match", " match"));
        TesseraConfig c = new ConfigLoader().load(f, Map.of(), List.of(), x -> Set.of("ct-phantom-organs"));
        RouteConfig r = c.routes().get(0);
        assertEquals(5, r.priorityOrDefault());
        assertEquals("thinnest", r.selectOrAll());
        assertEquals("SIEMENS", r.match().attributes().get("Manufacturer").equals());
        assertEquals(List.of("CT1", "CT2"), r.match().attributes().get("StationName").in());
        assertEquals(1.5, r.match().attributes().get("SliceThickness").max());
        assertEquals("AXIAL", r.match().attributes().get("ImageType").contains());
        assertEquals("22:00-06:00", r.match().timeOfDay());

        Path bad = write(README_EXAMPLE.replace("match: { modality: CT }",
                "match: { timeOfDay: \"late\", attributes: { StudyDescription: { regex: \"(\" } } }, select: newest"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(bad, Map.of(), List.of(), x -> Set.of("ct-phantom-organs")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("routes[0].select: must be one of all, thinnest, most-instances"), all);
    }

    @Test
    void bad_attribute_regex_and_time_window_are_reported_with_their_path() throws Exception {
        Path bad = write(README_EXAMPLE.replace("match: { modality: CT }",
                "match: { timeOfDay: \"late\", attributes: { StudyDescription: { regex: \"(\" } } }"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(bad, Map.of(), List.of(), x -> Set.of("ct-phantom-organs")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("routes[0].match.attributes.StudyDescription.regex: not a regular expression"), all);
        assertTrue(all.contains("routes[0].match.timeOfDay: must be HH:mm-HH:mm"), all);
    }
}
