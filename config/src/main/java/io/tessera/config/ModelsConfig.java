package io.tessera.config;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** Directories holding model packages (one sub-folder per model). */
public record ModelsConfig(@NotEmpty List<String> dirs) {}
