package io.tessera.config;

import jakarta.validation.constraints.NotBlank;

/** Spool directory and index database. An empty {@code indexUrl} means an embedded H2 database under the spool. */
public record StorageConfig(@NotBlank String dir, String indexUrl) {}
