package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every resource type Tessera serves, as it serves it (from the store, with versions, after a study was re-processed:
 * amended report, retracted Observations, Provenance, grounded findings), validated by the official HL7 validator
 * offline: no ERROR or FATAL issue. Each version is checked inside a collection Bundle with the resources it
 * references, so references resolve as they do for a client.
 */
class OfficialValidatorIT {
    @TempDir
    Path dir;

    @Test
    void every_served_resource_and_version_passes_the_official_validator() throws Exception {
        FhirRepository repo = TestStores.repository(dir);
        repo.store(new GroundingFhirTest().groundedSet());
        repo.store(TestResults.MAPPER.map(TestResults.segmentation(), TestResults.segReference(TestResults.SEG_SOP_UID + ".2"),
                TestResults.ISSUED.plusSeconds(60), 2));
        List<Resource> current = new ArrayList<>();
        for (String ref : repo.references()) {
            String[] p = ref.split("/");
            current.add(repo.read(p[0], p[1]).orElseThrow());
        }
        Set<String> types = new TreeSet<>();
        List<String> files = new ArrayList<>();
        int n = 0;
        for (Resource r : current) {
            types.add(r.fhirType());
            for (Resource version : repo.history(r.fhirType(), r.getIdElement().getIdPart())) {
                Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
                b.addEntry().setFullUrl("https://tessera.example/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart())
                        .setResource(version);
                for (Resource other : current) {
                    if (other != r) b.addEntry().setFullUrl("https://tessera.example/fhir/" + other.fhirType() + "/"
                            + other.getIdElement().getIdPart()).setResource(other);
                }
                Path f = dir.resolve((n++) + "-" + r.fhirType() + "-v" + version.getMeta().getVersionId() + ".json");
                Files.writeString(f, FhirContexts.r4().newJsonParser().encodeResourceToString(b));
                files.add(f.toString());
            }
        }
        assertEquals(Set.of("Device", "DiagnosticReport", "ImagingStudy", "Observation", "Patient", "Provenance"), types);

        Path home = OfficialValidatorHome.prepare(Path.of("target"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                OfficialValidatorMain.class.getName()));
        command.addAll(files);
        Path out = dir.resolve("validator.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the validator did not finish");
        } finally {
            p.destroyForcibly();
        }
        List<String> issues = Files.readAllLines(out).stream().filter(l -> l.startsWith("ISSUE ")).toList();
        List<String> serious = issues.stream().filter(l -> l.startsWith("ISSUE ERROR") || l.startsWith("ISSUE FATAL")).toList();
        List<String> errors = serious.stream().filter(l -> !needsTerminologyServer(l)).toList();
        System.out.println("official HL7 validator: " + files.size() + " resource versions, " + errors.size() + " errors, "
                + (serious.size() - errors.size()) + " MIME type checks that need a terminology server, "
                + (issues.size() - serious.size()) + " warnings/information");
        assertEquals(0, p.exitValue(), () -> String.join("\n", tail(out)));
        assertTrue(!issues.isEmpty() || files.isEmpty(), "the validator reported nothing at all: did it run?");
        assertEquals(List.of(), errors);
    }

    /**
     * Without a terminology server the validator cannot expand the MIME type value set (its codes come from
     * {@code urn:ietf:bcp:13}, outside FHIR) and reports every attachment's {@code contentType} as unknown. Only that
     * message is set aside; Tessera's only MIME type is {@code text/plain}, which HAPI's validator checks offline
     * (FhirValidationTest).
     */
    private static boolean needsTerminologyServer(String issue) {
        return issue.contains(".contentType]") && issue.contains("'text/plain'")
                && (issue.contains("http://hl7.org/fhir/ValueSet/mimetypes|4.0.1"));
    }

    private static List<String> tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - 30), all.size());
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }
}
