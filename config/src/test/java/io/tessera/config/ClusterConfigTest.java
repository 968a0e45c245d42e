package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_are_one_node_with_every_role_and_nothing_shared() throws Exception {
        TesseraConfig c = new ConfigLoader().load(null, Map.of(), List.of());
        assertEquals(ClusterConfig.single(), c.cluster());
        assertFalse(c.cluster().distributed());
        assertEquals("", c.cluster().brokerUrl());
        assertEquals("tessera.studies", c.cluster().queue());
        assertEquals(Duration.ofSeconds(30), c.cluster().lease());
        assertEquals(Duration.ofSeconds(10), c.cluster().heartbeat());
        assertEquals(Duration.ofSeconds(30), c.cluster().reconcileEvery());
        assertEquals(3, c.cluster().maxTakeovers());
        assertEquals(List.of("ingest", "worker", "delivery"), c.node().roles());
        assertTrue(c.node().has("worker") && c.node().has("ingest") && c.node().has("delivery"));
        assertTrue(c.node().id().endsWith("-" + ProcessHandle.current().pid()), c.node().id());
        assertTrue(c.node().id().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), c.node().id());
        assertEquals("", c.storage().sharedDir());
    }

    @Test
    void every_key_maps_from_yaml_environment_and_arguments_and_the_broker_password_is_never_printed() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, "storage: { indexUrl: 'jdbc:postgresql://db:5432/tessera', indexUser: tessera, sharedDir: /mnt/t }\n"
                + "cluster: { mode: distributed, brokerUrl: 'tcp://broker:61616', brokerUser: tessera, queue: ct.studies,"
                + " lease: 20s, heartbeat: 5s, reconcileEvery: 15s, maxTakeovers: 2 }\n"
                + "node: { id: gpu-1, roles: [worker] }\n");
        TesseraConfig c = new ConfigLoader().load(f, Map.of("TESSERA_CLUSTER_BROKERPASSWORD", "b-secret",
                "TESSERA_NODE_ID", "gpu-2"), List.of("--node.roles=worker,delivery", "--cluster.lease=40s"));
        assertEquals(new ClusterConfig("distributed", "tcp://broker:61616", "tessera", "b-secret", "ct.studies",
                Duration.ofSeconds(40), Duration.ofSeconds(5), Duration.ofSeconds(15), 2), c.cluster());
        assertEquals(new NodeConfig("gpu-2", List.of("worker", "delivery")), c.node());
        assertFalse(c.node().has("ingest"));
        assertEquals("/mnt/t", c.storage().sharedDir());
        assertFalse(c.cluster().toString().contains("b-secret"), c.cluster().toString());
    }

    @Test
    void distributed_without_postgresql_broker_or_shared_folder_is_refused_naming_each_key() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--cluster.mode=distributed")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("storage.indexUrl: cluster.mode distributed needs a PostgreSQL index"), all);
        assertTrue(all.contains("storage.sharedDir: cluster.mode distributed needs a folder every node mounts"), all);
        assertTrue(all.contains("cluster.brokerUrl: cluster.mode distributed needs a broker URL"), all);

        ConfigException h2 = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--cluster.mode=distributed", "--cluster.brokerUrl=tcp://b:61616", "--storage.sharedDir=shared",
                        "--storage.indexUrl=jdbc:h2:file:./idx")));
        assertEquals(List.of("storage.indexUrl: cluster.mode distributed needs a PostgreSQL index: jdbc:postgresql://host:port/db"),
                h2.violations());
    }

    @Test
    void bad_mode_roles_node_id_and_timings_are_reported_with_their_path() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--cluster.mode=cluster", "--node.roles=worker,gpu", "--node.id=-bad id", "--cluster.brokerUrl=http://b",
                        "--cluster.lease=5s", "--cluster.heartbeat=5s", "--cluster.maxTakeovers=0")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("cluster.mode: must be single or distributed"), all);
        assertTrue(all.contains("node.roles[1]: must be ingest, worker or delivery"), all);
        assertTrue(all.contains("node.id: must be 1-64 letters"), all);
        assertTrue(all.contains("cluster.brokerUrl: must be tcp://host:port or ssl://host:port"), all);
        assertTrue(all.contains("cluster.heartbeat: must be shorter than cluster.lease"), all);
        assertTrue(all.contains("cluster.maxTakeovers: must be between 1 and 100"), all);

        ConfigException none = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--node.roles=")));
        assertTrue(String.join("\n", none.violations()).contains("node.roles: must name at least one of ingest, worker, delivery"),
                none.violations().toString());
    }
}
