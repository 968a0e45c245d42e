package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.routes.cluster.NodeRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera cluster status}: read from the index database the configuration names, as text or as JSON. */
class ClusterCommandTest {
    @TempDir Path work;

    String run(String... args) throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args), () -> out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void status_lists_the_registered_nodes_with_roles_and_heartbeats_as_text_and_json() throws Exception {
        ServerConfig config = ServerConfig.in(work);
        Path file = config.write();
        try (IndexPool db = IndexPool.open(IndexDatabase.embedded(work.resolve("var").toAbsolutePath(), ""))) {
            new NodeRegistry(db, Duration.ofSeconds(30), Clock.systemUTC()).beat("worker-7", List.of("worker", "delivery"));
        }

        String text = run("cluster", "status", "--config", file.toString());
        assertTrue(text.contains("1 node(s) live of 1 registered; 0 study version(s) waiting for a worker"), text);
        assertTrue(text.matches("(?s).*worker-7 +worker,delivery +live .*"), text);

        JsonNode json = JsonServlet.JSON.readTree(run("cluster", "status", "--json", "--config", file.toString()));
        assertEquals("single", json.path("mode").asText());
        assertEquals("worker-7", json.path("nodes").path(0).path("id").asText());
        assertTrue(json.path("nodes").path(0).path("live").asBoolean());
        assertEquals(0, json.path("queued").asInt());
        assertTrue(json.path("leases").isArray() && json.path("outboxClaims").isArray() && json.path("openCircuits").isArray());
    }

    @Test
    void status_without_a_subcommand_is_a_usage_error() {
        assertEquals(2, Main.run(new String[] {"cluster"}));
    }
}
