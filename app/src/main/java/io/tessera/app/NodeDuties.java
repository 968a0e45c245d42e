package io.tessera.app;

import io.tessera.config.TesseraConfig;

/**
 * What this process runs, from {@code cluster.mode} and {@code node.roles}: a single node does everything; a cluster
 * node only what its roles name. {@code intake}: the DICOM listener and the HL7 report listener (an ingest node takes
 * what scanners and the RIS send); {@code worker}: loads the models and consumes the study queue; {@code delivery}:
 * runs the outbox. A role left out is not merely idle: its port is not opened, its models not loaded.
 */
record NodeDuties(boolean intake, boolean worker, boolean delivery) {
    static NodeDuties of(TesseraConfig config) {
        if (!config.cluster().distributed()) return new NodeDuties(true, true, true);
        return new NodeDuties(config.node().has("ingest"), config.node().has("worker"), config.node().has("delivery"));
    }
}
