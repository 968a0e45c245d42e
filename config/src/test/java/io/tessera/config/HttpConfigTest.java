package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_are_loopback_port_8080_with_4_mib_bodies_local_hosts_only_and_no_cors() throws Exception {
        HttpConfig h = new ConfigLoader().load(null, Map.of(), List.of()).http();
        assertEquals(HttpConfig.defaults(), h);
        assertEquals("127.0.0.1", h.bindAddress());
        assertEquals(8080, h.port());
        assertEquals(4L * 1024 * 1024, h.maxRequestBytes());
        assertEquals(List.of(), h.allowedHosts());
        assertEquals(List.of(), h.corsOrigins());
    }

    @Test
    void every_key_maps_from_yaml_environment_and_arguments() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "http: { bindAddress: 0.0.0.0, port: 9000, maxRequestBytes: 65536,"
                + " allowedHosts: [tessera.example.org], corsOrigins: ['https://viewer.example.org'] }\n"
                + "security: { insecure: true }\n");
        HttpConfig h = new ConfigLoader().load(f, Map.of("TESSERA_HTTP_ALLOWED_HOSTS", "tessera.example.org:9000,10.0.0.5"),
                List.of("--http.maxRequestBytes=131072")).http();
        assertEquals(new HttpConfig("0.0.0.0", 9000, 131072, List.of("tessera.example.org:9000", "10.0.0.5"),
                List.of("https://viewer.example.org"), HttpTlsConfig.off()), h);
    }

    @Test
    void a_tiny_body_limit_and_blank_entries_are_reported_with_their_path() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--http.maxRequestBytes=10", "--http.port=70000")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("http.maxRequestBytes: must be at least 1024"), all);
        assertTrue(all.contains("http.port: must be between 0 and 65535"), all);
    }
}
