package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Listener limits: one association more than {@code maxAssociations} is rejected (transient, local limit exceeded); the
 * instance that would take a study over {@code maxStudyBytes} is answered A700 (0: no limit); a data set larger than
 * {@code maxInstanceBytes} is drained without being kept and answered A700 (0: 512 MiB), so no peer can fill the heap.
 */
public record LimitsConfig(@Min(1) @Max(10000) int maxAssociations, @Min(0) long maxStudyBytes, @Min(0) long maxInstanceBytes) {}
