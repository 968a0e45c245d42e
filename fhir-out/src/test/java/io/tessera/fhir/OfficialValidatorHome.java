package io.tessera.fhir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR package cache for the official HL7 validator that works offline: the R4 core definitions come from npm
 * ({@code hl7.fhir.r4.corexml@4.0.1}, the same definitions as {@code hl7.fhir.r4.core} in XML, fetched at test time,
 * never committed), converted to JSON with an index as the validator's package loader expects, under
 * {@code hl7.fhir.r4.core#4.0.1}; the cross-version extensions package the validator also asks for is an empty
 * placeholder (Tessera's resources use none). Built once under {@code target/}.
 */
final class OfficialValidatorHome {
    static final String CORE = "hl7.fhir.r4.core#4.0.1";

    private OfficialValidatorHome() {}

    /** The folder to use as the validator JVM's {@code user.home}; the cache is its {@code .fhir/packages}. */
    static Path prepare(Path target) throws IOException, InterruptedException {
        Path home = target.resolve("hl7-validator-home");
        Path core = home.resolve(".fhir/packages").resolve(CORE).resolve("package");
        if (Files.isRegularFile(core.resolve(".index.json"))) return home;
        Path download = Files.createDirectories(target.resolve("npm-corexml"));
        run(download, "npm", "pack", "hl7.fhir.r4.corexml@4.0.1");
        run(download, "tar", "xzf", "hl7.fhir.r4.corexml-4.0.1.tgz");
        Files.createDirectories(core);
        List<String[]> index = new ArrayList<>();
        var xml = FhirContexts.r4().newXmlParser();
        var json = FhirContexts.r4().newJsonParser();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(download.resolve("package"), "*.xml")) {
            for (Path f : files) {
                Resource r = (Resource) xml.parseResource(Files.readString(f));
                String name = f.getFileName().toString().replace(".xml", ".json");
                Files.writeString(core.resolve(name), json.encodeResourceToString(r));
                String url = (String) FhirContexts.r4().newTerser().getValues(r, "url").stream().findFirst()
                        .map(u -> u.toString().replaceAll("^UriType\\[|\\]$", "")).orElse(null);
                index.add(new String[] {name, r.fhirType(), r.getIdElement().getIdPart(), url});
            }
        }
        Files.writeString(core.resolve("package.json"), Files.readString(download.resolve("package/package.json"))
                .replace("\"hl7.fhir.r4.corexml\"", "\"hl7.fhir.r4.core\""));
        StringBuilder idx = new StringBuilder("{\"index-version\":1,\"files\":[");
        for (int i = 0; i < index.size(); i++) {
            String[] e = index.get(i);
            idx.append(i == 0 ? "" : ",").append("{\"filename\":\"").append(e[0]).append("\",\"resourceType\":\"")
                    .append(e[1]).append("\",\"id\":\"").append(e[2]).append('"');
            if (e[3] != null) idx.append(",\"url\":\"").append(e[3]).append('"');
            idx.append('}');
        }
        Files.writeString(core.resolve(".index.json"), idx.append("]}").toString());
        Path xver = Files.createDirectories(home.resolve(".fhir/packages/hl7.fhir.xver-extensions#0.1.0/package"));
        Files.writeString(xver.resolve("package.json"), "{\"name\":\"hl7.fhir.xver-extensions\",\"version\":\"0.1.0\","
                + "\"fhirVersions\":[\"4.0.1\"],\"type\":\"fhir.ig\",\"dependencies\":{}}");
        return home;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("log.txt")));
        }
    }
}
