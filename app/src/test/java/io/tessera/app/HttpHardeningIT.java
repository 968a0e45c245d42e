package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP front door of a running server, spoken to over a plain socket (so that the test, not a client library, decides
 * the Host header, the method and the framing): body limits, content types, host allow-list, methods, no product
 * headers, no CORS by default.
 */
class HttpHardeningIT {
    static final int LIMIT = 4 << 20; // the default http.maxRequestBytes
    @TempDir static Path work;
    static TesseraServer tessera;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = ServerConfig.in(work).completion(null);
        tessera = config.start();
        port = config.httpPort();
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
    }

    record Answer(int status, Map<String, String> headers, String body) {
        boolean has(String header) {
            return headers.containsKey(header.toLowerCase(Locale.ROOT));
        }
    }

    /** One request on a fresh connection; {@code head} without the final blank line, {@code body} may be null. */
    static Answer exchange(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refused) {
                    // the server answered and closed before taking the whole body: read its answer
                }
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
        } catch (IOException reset) {
            // a connection reset after the answer: keep what came
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "no HTTP answer: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }

    static String host() {
        return "Host: 127.0.0.1:" + port;
    }

    static Answer get(String path) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\n" + host(), null);
    }

    static Answer post(String path, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return exchange("POST " + path + " HTTP/1.1\r\n" + host() + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + b.length, b);
    }

    static void assertHealthy() throws IOException {
        assertEquals(200, get("/health").status(), "the server answers health after the refusal");
    }

    @Test
    void a_body_declared_over_the_limit_is_refused_413_before_it_is_sent_and_the_server_stays_healthy() throws Exception {
        for (String[] target : new String[][] {{"/api/reports", "application/json"}, {"/fhir/DiagnosticReport", "application/fhir+json"},
                {"/api/outbox/replay?destination=x", "application/json"}}) {
            Answer a = exchange("POST " + target[0] + " HTTP/1.1\r\n" + host() + "\r\nContent-Type: " + target[1]
                    + "\r\nContent-Length: " + (LIMIT + 1), "{".getBytes(StandardCharsets.UTF_8));
            assertEquals(413, a.status(), target[0] + ": " + a.body());
            assertTrue(a.body().contains("TSR-0803"), a.body());
        }
        assertEquals(413, exchange("GET /api/studies HTTP/1.1\r\n" + host() + "\r\nContent-Length: " + (LIMIT + 1), null).status());
        assertHealthy();
    }

    @Test
    void a_chunked_body_running_over_the_limit_is_cut_off_413() throws Exception {
        for (String[] target : new String[][] {{"/api/reports", "application/json"}, {"/fhir/DiagnosticReport", "application/fhir+json"}}) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            byte[] piece = new byte[64 * 1024];
            java.util.Arrays.fill(piece, (byte) ' ');
            piece[0] = '[';
            for (int sent = 0; sent <= LIMIT; sent += piece.length) {
                chunks.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunks.write(piece);
                chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                piece[0] = ' ';
            }
            chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer a = exchange("POST " + target[0] + " HTTP/1.1\r\n" + host() + "\r\nContent-Type: " + target[1]
                    + "\r\nTransfer-Encoding: chunked", chunks.toByteArray());
            assertEquals(413, a.status(), target[0] + ": " + a.body());
        }
        assertHealthy();
    }

    @Test
    void only_the_documented_content_types_are_taken_so_a_web_form_cannot_post() throws Exception {
        String report = "{\"accessionNumber\":\"ACC-H1\",\"text\":\"8 mm nodule, right lower lobe.\"}";
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            Answer a = post("/api/reports", type, report);
            assertEquals(415, a.status(), type + ": " + a.body());
            assertTrue(a.body().contains("TSR-0804"), a.body());
            assertEquals(415, post("/fhir/DiagnosticReport", type, "{}").status(), type);
            assertEquals(415, post("/api/outbox/replay?destination=x", type, "x").status(), type);
        }
        assertEquals(202, post("/api/reports", "application/json; charset=UTF-8", report).status());
        // tessera replay posts without a body or content type
        Answer replay = exchange("POST /api/outbox/replay?destination=pacs HTTP/1.1\r\n" + host() + "\r\nContent-Length: 0", null);
        assertEquals(200, replay.status(), replay.body());
    }

    @Test
    void a_post_from_another_origins_page_is_refused_403() throws Exception {
        String report = "{\"accessionNumber\":\"ACC-H2\",\"text\":\"no finding.\"}";
        byte[] b = report.getBytes(StandardCharsets.UTF_8);
        Answer foreign = exchange("POST /api/reports HTTP/1.1\r\n" + host() + "\r\nOrigin: https://evil.example\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + b.length, b);
        assertEquals(403, foreign.status(), foreign.body());
        Answer own = exchange("POST /api/reports HTTP/1.1\r\n" + host() + "\r\nOrigin: http://127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + b.length, b);
        assertEquals(202, own.status(), own.body());
    }

    @Test
    void a_foreign_host_is_refused_421_and_the_local_names_are_served() throws Exception {
        Answer rebound = exchange("GET /api/studies HTTP/1.1\r\nHost: attacker.example:" + port, null);
        assertEquals(421, rebound.status(), rebound.body());
        assertTrue(rebound.body().contains("TSR-0801"), rebound.body());
        assertEquals(421, exchange("GET /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1:" + (port + 1), null).status(), "another port");
        for (String h : new String[] {"127.0.0.1", "localhost", "LOCALHOST", "[::1]"}) {
            assertEquals(200, exchange("GET /health HTTP/1.1\r\nHost: " + h + ":" + port, null).status(), h);
        }
    }

    @Test
    void the_storage_folder_and_the_folders_made_in_it_are_owner_only() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(work.getFileSystem().supportedFileAttributeViews().contains("posix"));
        List<Path> dirs = new java.util.ArrayList<>(List.of(work.resolve("var")));
        try (var made = java.nio.file.Files.list(work.resolve("var"))) {
            made.filter(java.nio.file.Files::isDirectory).forEach(dirs::add);
        }
        assertTrue(dirs.stream().map(d -> d.getFileName().toString()).toList().containsAll(List.of("audit", "index", "wal")),
                dirs.toString());
        for (Path dir : dirs) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir)), dir.toString());
        }
    }

    @Test
    void configured_cors_origins_get_cors_headers_and_may_post_and_no_other_origin_does(@TempDir Path other) throws Exception {
        String viewer = "https://viewer.example.org";
        ServerConfig config = ServerConfig.in(other).completion(null).http("corsOrigins: ['" + viewer + "']");
        TesseraServer withCors = config.start();
        int saved = port;
        try {
            port = config.httpPort();
            Answer allowed = exchange("GET /api/studies HTTP/1.1\r\n" + host() + "\r\nOrigin: " + viewer, null);
            assertEquals(200, allowed.status());
            assertEquals(viewer, allowed.headers().get("access-control-allow-origin"), allowed.headers().toString());
            Answer preflight = exchange("OPTIONS /api/reports HTTP/1.1\r\n" + host() + "\r\nOrigin: " + viewer
                    + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type", null);
            assertTrue(preflight.status() < 300, preflight.status() + " " + preflight.headers());
            assertEquals(viewer, preflight.headers().get("access-control-allow-origin"), preflight.headers().toString());
            byte[] b = "{\"accessionNumber\":\"ACC-H3\",\"text\":\"no finding.\"}".getBytes(StandardCharsets.UTF_8);
            assertEquals(202, exchange("POST /api/reports HTTP/1.1\r\n" + host() + "\r\nOrigin: " + viewer
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length, b).status());
            Answer stranger = exchange("GET /api/studies HTTP/1.1\r\n" + host() + "\r\nOrigin: https://viewer.example.org.evil.example", null);
            assertTrue(stranger.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")), stranger.headers().toString());
            assertEquals(403, exchange("POST /api/reports HTTP/1.1\r\n" + host() + "\r\nOrigin: https://evil.example"
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length, b).status());
        } finally {
            port = saved;
            withCors.close();
        }
    }

    @Test
    void trace_and_other_unused_methods_are_405() throws Exception {
        for (String method : new String[] {"TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            Answer a = exchange(method + " /api/studies HTTP/1.1\r\n" + host() + "\r\nContent-Length: 0", null);
            assertEquals(405, a.status(), method + ": " + a.body());
            assertFalse(a.body().contains(host()), "nothing echoed");
        }
        assertEquals(405, exchange("TRACE /fhir/metadata HTTP/1.1\r\n" + host(), null).status());
    }

    @Test
    void no_answer_names_the_server_software_or_carries_cors_headers() throws Exception {
        String origin = "\r\nOrigin: https://viewer.example.org";
        Answer[] answers = {
                exchange("GET /health HTTP/1.1\r\n" + host() + origin, null),
                exchange("GET /api/studies HTTP/1.1\r\n" + host() + origin, null),
                exchange("GET /fhir/metadata HTTP/1.1\r\n" + host() + origin, null),
                exchange("GET /fhir/Patient HTTP/1.1\r\n" + host() + origin, null),
                exchange("GET /no/such/page HTTP/1.1\r\n" + host() + origin, null),
                exchange("TRACE / HTTP/1.1\r\n" + host() + origin, null),
                exchange("GET / HTTP/1.1\r\nHost: attacker.example", null),
                post("/api/reports", "text/plain", "x"),
                post("/api/reports", "application/json", "not json"),
        };
        for (Answer a : answers) {
            assertFalse(a.has("Server"), "Server header: " + a.headers());
            assertFalse(a.has("X-Powered-By"), "X-Powered-By header: " + a.headers());
            assertTrue(a.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")), "CORS: " + a.headers());
            assertFalse(a.body().toLowerCase(Locale.ROOT).contains("jetty"), "body names Jetty: " + a.body());
            assertFalse(a.body().contains("HAPI FHIR 8"), "body names the HAPI version");
        }
        assertEquals(200, answers[2].status(), answers[2].body());
    }
}
