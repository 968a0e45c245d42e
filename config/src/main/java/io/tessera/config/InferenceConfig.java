package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** ONNX Runtime execution: providers in order of preference, device and threads; series geometry policy. */
public record InferenceConfig(
        @NotEmpty List<@Pattern(regexp = "tensorrt|cuda|cpu", message = "must be one of tensorrt, cuda, cpu") String> providers,
        @Min(0) int deviceId,
        @Min(0) @Max(256) int intraOpThreads,
        @Min(1) @Max(64) int maxConcurrentJobs,
        @NotNull @Valid GeometryConfig geometry) {}
