package io.tessera.config;

/** The JSON-lines audit log; an empty {@code file} means {@code <storage.dir>/audit/audit.log}. */
public record AuditConfig(String file) {}
