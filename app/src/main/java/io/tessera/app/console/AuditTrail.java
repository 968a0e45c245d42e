package io.tessera.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The newest entries of the append-only audit log ({@code storage.dir/audit/audit.log}, JSON lines), read from the
 * end of the file: at most {@link #TAIL_BYTES} are read, so a log of years costs the page no more than a day's.
 * Lines cut by that window, or not JSON, are skipped.
 */
final class AuditTrail {
    static final int TAIL_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One audit record: when, what kind, who, what, outcome and detail, as the page shows them. */
    record Entry(String time, String event, String who, String what, String outcome, String detail) {
        boolean matches(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            return (who + " " + what + " " + detail).toLowerCase(Locale.ROOT).contains(t);
        }
    }

    private final Path file;

    AuditTrail(Path file) {
        this.file = file;
    }

    /**
     * Up to {@code limit} entries, newest first, of the given event kind ({@code association}, {@code export},
     * {@code rest}; null: all), outcome (null: all) and containing {@code text} in who, what or detail (null: all).
     */
    List<Entry> newest(int limit, String event, String outcome, String text) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) return out;
        List<String> lines = tail();
        for (int i = lines.size() - 1; i >= 0 && out.size() < limit; i--) {
            Entry e = parse(lines.get(i));
            if (e == null) continue;
            if (event != null && !event.equals(e.event())) continue;
            if (outcome != null && !outcome.equals(e.outcome())) continue;
            if (text != null && !text.isBlank() && !e.matches(text.trim())) continue;
            out.add(e);
        }
        return out;
    }

    private List<String> tail() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] b = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(b);
            List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split("\n")));
            if (from > 0 && !lines.isEmpty()) lines.remove(0);   // cut by the window
            return lines;
        }
    }

    static Entry parse(String line) {
        if (line.isBlank()) return null;
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        String event = n.path("event").asText("");
        String time = n.path("time").asText("");
        String outcome = n.path("outcome").asText("");
        if (event.equals("rest")) {   // recorded as FHIR AuditEvent outcome codes
            outcome = switch (outcome) {
                case "0" -> "success";
                case "4" -> "refused";
                default -> "failure";
            };
        }
        return switch (event) {
            case "association" -> new Entry(time, event, n.path("callingAe").asText() + " from " + n.path("remote").asText()
                    + (n.path("tls").asBoolean() ? " (TLS)" : ""), "to " + n.path("calledAe").asText() + ": "
                    + n.path("instances").asLong() + " instances, " + n.path("bytes").asLong() + " bytes", outcome,
                    n.path("reason").asText(""));
            case "export" -> new Entry(time, event, "Tessera", n.path("studyUid").asText() + " to " + n.path("destination").asText()
                    + " (" + n.path("target").asText() + "): " + n.path("instances").asLong() + " objects", outcome,
                    n.path("reason").asText(""));
            case "rest" -> new Entry(time, event, n.path("client").asText() + (n.has("subject") && !n.path("subject").asText()
                    .equals(n.path("client").asText()) ? " / " + n.path("subject").asText() : "") + " from "
                    + n.path("source").asText() + " (" + n.path("authMethod").asText() + ")", n.path("httpMethod").asText() + " "
                    + n.path("path").asText() + (n.hasNonNull("query") ? "?" + n.path("query").asText() : ""), outcome,
                    n.path("status").asInt() + " " + n.path("action").asText() + " " + n.path("subtype").asText(""));
            default -> new Entry(time, event, "", line.length() > 200 ? line.substring(0, 200) : line, outcome, "");
        };
    }
}
