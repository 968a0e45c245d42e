package io.tessera.config;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * This node: its {@code id} (blank: host name and process id, unique per running process) and its {@code roles}, any
 * combination of {@code ingest} (DICOM and report intake, completion), {@code worker} (runs the models: a node
 * without it loads none) and {@code delivery} (sends the outbox). With {@code cluster.mode: single} a node has all three.
 */
public record NodeConfig(
        @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit") String id,
        @NotNull @NotEmpty(message = "must name at least one of ingest, worker, delivery")
        List<@NotNull @Pattern(regexp = "ingest|worker|delivery", message = "must be ingest, worker or delivery") String> roles) {

    public static final List<String> ALL_ROLES = List.of("ingest", "worker", "delivery");

    public NodeConfig {
        id = id == null || id.isBlank() ? defaultId() : id.trim();
    }

    /** The defaults of tessera-defaults.yaml: this process, every role. */
    public static NodeConfig defaults() {
        return new NodeConfig("", ALL_ROLES);
    }

    public boolean has(String role) {
        return roles != null && roles.contains(role);
    }

    /** Host name and process id, e.g. {@code ct-gpu-2-41877}: unique among running processes of a cluster. */
    public static String defaultId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "node";
            }
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (safe.isEmpty()) safe = "node";
        if (safe.length() > 40) safe = safe.substring(0, 40);
        return safe + "-" + ProcessHandle.current().pid();
    }
}
