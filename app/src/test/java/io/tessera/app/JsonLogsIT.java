package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code TESSERA_LOG_FORMAT=json} makes every log line one JSON object; an unknown value falls back to text. */
class JsonLogsIT {
    @TempDir Path work;

    @Test
    void json_format_writes_one_parsable_object_a_line_and_an_unknown_format_stays_text() throws Exception {
        List<String> json = run("json");
        List<String> logLines = json.stream().filter(l -> l.startsWith("{")).toList();
        assertFalse(logLines.isEmpty(), String.join("\n", json));
        ObjectMapper mapper = new ObjectMapper();
        for (String line : logLines) {
            JsonNode n = mapper.readTree(line);
            assertTrue(n.hasNonNull("timestamp") && n.hasNonNull("level") && n.hasNonNull("loggerName")
                    && n.hasNonNull("formattedMessage"), line);
        }
        assertTrue(logLines.stream().anyMatch(l -> l.contains("ct-phantom-organs")), "the model registry's lines: " + logLines);
        assertTrue(json.stream().noneMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")), "no text lines in json mode");

        List<String> unknown = run("xml");
        assertTrue(unknown.stream().anyMatch(l -> l.startsWith("TSR-0840")), String.join("\n", unknown));
        assertTrue(unknown.stream().anyMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*ct-phantom-organs.*")),
                "text lines still written: " + unknown);
    }

    /** {@code models list} with the repository's models, its stdout and stderr lines. */
    private List<String> run(String format) throws Exception {
        Path out = work.resolve("out-" + format + ".txt");
        // the shipped logback.xml, not the tests' logback-test.xml that the test class path would pick first
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml").toAbsolutePath(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "models", "list", "--models.dirs[0]=../models")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("TESSERA_LOG_FORMAT", format);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "models list finished");
        assertEquals(0, p.exitValue(), Files.readString(out));
        return Files.readAllLines(out);
    }
}
