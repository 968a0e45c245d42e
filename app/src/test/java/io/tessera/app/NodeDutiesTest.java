package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node runs: everything on a single node; in a cluster only what its roles name. */
class NodeDutiesTest {
    @TempDir Path work;

    NodeDuties duties(String roles) throws Exception {
        ServerConfig c = ServerConfig.in(work);
        if (roles != null) {
            c.indexUrl("jdbc:postgresql://127.0.0.1:5432/tessera").sharedDir(work.resolve("shared"))
                    .section("cluster: { mode: distributed, brokerUrl: 'tcp://127.0.0.1:61616' }")
                    .section("node: { id: n1, roles: " + roles + " }");
        }
        return NodeDuties.of(c.load());
    }

    @Test
    void a_single_node_takes_in_works_and_delivers_whatever_its_roles_say() throws Exception {
        assertEquals(new NodeDuties(true, true, true), duties(null));
    }

    @Test
    void a_cluster_node_runs_only_its_roles() throws Exception {
        assertEquals(new NodeDuties(true, false, false), duties("[ingest]"));
        assertEquals(new NodeDuties(false, true, true), duties("[worker, delivery]"));
        assertEquals(new NodeDuties(false, false, true), duties("[delivery]"));
        assertEquals(new NodeDuties(true, true, true), duties("[ingest, worker, delivery]"));
    }
}
