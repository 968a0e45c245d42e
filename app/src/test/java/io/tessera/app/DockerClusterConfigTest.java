package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker/cluster.yaml, as docker/compose.yaml's nodes load it: valid, distributed, roles from the environment. */
class DockerClusterConfigTest {
    static final Path FILE = Path.of("..", "docker", "cluster.yaml");

    TesseraConfig load(String id, String roles) throws Exception {
        return new ConfigLoader().load(FILE, Map.of("TESSERA_NODE_ID", id, "TESSERA_NODE_ROLES", roles,
                "TESSERA_STORAGE_INDEXPASSWORD", "tessera-lab", "TESSERA_CLUSTER_BROKERPASSWORD", "tessera-lab"), List.of());
    }

    @Test
    void the_compose_nodes_configuration_is_a_distributed_cluster_with_each_nodes_roles() throws Exception {
        TesseraConfig ingest = load("ingest-1", "ingest,delivery");
        assertTrue(ingest.cluster().distributed());
        assertEquals("/var/lib/tessera-shared", ingest.storage().sharedDir());
        assertEquals(new NodeDuties(true, false, true), NodeDuties.of(ingest));
        TesseraConfig worker = load("worker-2", "worker");
        assertEquals("worker-2", worker.node().id());
        assertEquals(new NodeDuties(false, true, false), NodeDuties.of(worker));
    }
}
