package io.tessera.listener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Append-only audit trail, one JSON object per line, written and flushed to the operating system per line (not
 * fsynced). Records who talked to us, what they asked for and what we sent. DICOM events carry no patient names or
 * IDs; an HTTP query is recorded as asked (it may name a patient: who looked a patient up is what a security officer
 * needs to know), which is why the file is readable by its owner only. A failure to write is logged
 * (TSR-0283) and does not stop DICOM traffic.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** One association, recorded when it ends. {@code reason} is null when it was accepted. */
    record Association(Instant start, Instant end, String callingAe, String calledAe, String remote, boolean tls,
                       String tlsPeer, boolean accepted, String reason, int instances, int failures, long bytes) {}

    /**
     * One export by the delivery side.
     *
     * @param destination configured destination name
     * @param target      where it went, e.g. {@code ORTHANC@10.0.0.7:4242} or a folder
     * @param studyUid    the source study (a UID, not a patient identifier)
     * @param instances   instances sent
     * @param bytes       bytes sent
     * @param success     whether the destination accepted everything
     * @param reason      why not, or null
     * @param duration    how long the export took
     */
    public record Export(String destination, String target, String studyUid, int instances, long bytes,
                         boolean success, String reason, Duration duration) {}

    /**
     * One HTTP request for patient data or a change of state, shaped after the IHE Basic Audit Log Patterns' RESTful
     * events (FHIR AuditEvent): {@code action} C, R, U, D or E (search and operations) and {@code subtype} the FHIR
     * restful-interaction code ({@code read}, {@code search-type}, {@code create}, {@code operation}); {@code outcome} 0 (success),
     * 4 (refused: 401/403/4xx) or 8 (failed: 5xx); who ({@code client} and the token's {@code subject} or the
     * certificate's, and {@code authMethod}); from where ({@code source}); what ({@code path} and the {@code query}, as
     * asked, since which patient was looked up is what the audit is for).
     */
    public record Access(Instant time, String action, String subtype, String httpMethod, String path, String query, int status,
                         String client, String subject, String authMethod, String source) {
        /** BALP's outcome code for an HTTP status. */
        public String outcome() {
            return status < 400 ? "0" : status < 500 ? "4" : "8";
        }
    }

    private final Path file;
    private final OutputStream out;

    private AuditLog(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Opens (creating directories and file as needed) for appending. */
    public static AuditLog open(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        io.tessera.core.OwnerOnly.createDirectories(abs.getParent());
        if (!Files.exists(abs)) Files.createFile(abs, io.tessera.core.OwnerOnly.file()); // 0600 from its first byte
        return new AuditLog(abs, new FileOutputStream(abs.toFile(), true));
    }

    public Path file() {
        return file;
    }

    void association(Association a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", a.end().toString());
        m.put("event", "association");
        m.put("callingAe", a.callingAe());
        m.put("calledAe", a.calledAe());
        m.put("remote", a.remote());
        m.put("tls", a.tls());
        if (a.tlsPeer() != null) {
            m.put("tlsPeer", a.tlsPeer());
        }
        m.put("outcome", a.accepted() ? "accepted" : "refused");
        if (a.reason() != null) {
            m.put("reason", a.reason());
        }
        m.put("instances", a.instances());
        m.put("failures", a.failures());
        m.put("bytes", a.bytes());
        m.put("durationMs", Duration.between(a.start(), a.end()).toMillis());
        write(m);
    }

    /** Records one export; for the delivery side. */
    public void export(Export e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("event", "export");
        m.put("destination", e.destination());
        m.put("target", e.target());
        m.put("studyUid", e.studyUid());
        m.put("outcome", e.success() ? "success" : "failure");
        if (e.reason() != null) {
            m.put("reason", e.reason());
        }
        m.put("instances", e.instances());
        m.put("bytes", e.bytes());
        m.put("durationMs", e.duration() == null ? 0 : e.duration().toMillis());
        write(m);
    }

    /** Records one HTTP access; for the HTTP layer. */
    public void access(Access a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", a.time().toString());
        m.put("event", "rest");
        m.put("action", a.action());
        m.put("subtype", a.subtype());
        m.put("httpMethod", a.httpMethod());
        m.put("path", a.path());
        if (a.query() != null) m.put("query", a.query());
        m.put("status", a.status());
        m.put("outcome", a.outcome());
        m.put("client", a.client());
        if (a.subject() != null) m.put("subject", a.subject());
        m.put("authMethod", a.authMethod());
        m.put("source", a.source());
        write(m);
    }

    private void write(Map<String, Object> fields) {
        byte[] line = (Json.object(fields) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                log.error("TSR-0283: cannot append to audit log {}: {}", file, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            log.warn("TSR-0283: closing audit log {}: {}", file, e.toString());
        }
    }

    /** Just enough JSON for flat objects of strings, numbers and booleans. */
    static final class Json {
        private Json() {
        }

        static String object(Map<String, Object> fields) {
            StringBuilder sb = new StringBuilder(256).append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, e.getKey()).append(':');
                Object v = e.getValue();
                if (v == null) {
                    sb.append("null");
                } else if (v instanceof Number || v instanceof Boolean) {
                    sb.append(v);
                } else {
                    string(sb, v.toString());
                }
            }
            return sb.append('}').toString();
        }

        private static StringBuilder string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"');
        }
    }
}
