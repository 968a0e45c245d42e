package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The whole configuration, as bound from {@code tessera.yaml} plus environment and command-line overrides. */
public record TesseraConfig(
        @NotNull @Valid DicomConfig dicom,
        @NotNull @Valid StorageConfig storage,
        @NotNull @Valid CompletionConfig completion,
        @NotNull @Valid HttpConfig http,
        @NotNull @Valid ModelsConfig models,
        @NotNull @Valid InferenceConfig inference,
        @NotNull @Valid FhirConfig fhir,
        @NotNull @Valid DeliveryConfig delivery,
        @NotNull List<@Valid DestinationConfig> destinations,
        @NotNull List<@Valid RouteConfig> routes,
        @NotNull @Valid Hl7Config hl7,
        @NotNull @Valid GroundingConfig grounding,
        @NotNull @Valid SecurityConfig security,
        @NotNull @Valid ClusterConfig cluster,
        @NotNull @Valid NodeConfig node,
        @Valid ConsoleConfig console) {

    public TesseraConfig {
        console = console == null ? ConsoleConfig.defaults() : console;
    }

    /** Nodes share their truth in the index: a distributed cluster needs one they can all reach, PostgreSQL. */
    @AssertTrue(message = "cluster.mode distributed needs a PostgreSQL index: jdbc:postgresql://host:port/db")
    public boolean isClusterIndexComplete() {
        return cluster == null || storage == null || !cluster.distributed() || storage.postgresIndex();
    }

    /** A worker must read the pixels another node received: a distributed cluster needs a shared folder. */
    @AssertTrue(message = "cluster.mode distributed needs a folder every node mounts, e.g. /mnt/tessera")
    public boolean isClusterSharedDirComplete() {
        return cluster == null || storage == null || !cluster.distributed() || !storage.sharedDir().isBlank();
    }
}
