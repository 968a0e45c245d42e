package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * ONNX Runtime execution.
 *
 * @param providers         execution providers in order of preference; one that cannot be loaded is logged and skipped,
 *                          and CPU is the last resort even when not listed
 * @param deviceId          GPU ordinal for cuda/tensorrt
 * @param intraOpThreads    threads inside one operator (0: ONNX Runtime decides, usually one per core)
 * @param interOpThreads    threads across independent operators (0: ONNX Runtime decides)
 * @param maxConcurrentJobs studies processed at once (the routes' consumers)
 * @param jobsPerDevice     segmentation jobs running at once on one device (CPU, or one GPU); more wait their turn
 * @param jobTimeout        a job still running after this fails with TSR-0326 and frees its device slot
 * @param tensorrtCacheDir  where TensorRT keeps built engines and timing caches ("" = no cache: engines are rebuilt at
 *                          every start, which can take minutes)
 * @param tensorrtFp16      let TensorRT run layers in half precision
 * @param geometry          series geometry policy: uneven spacing and gantry tilt resampled or refused
 */
public record InferenceConfig(
        @NotEmpty List<@Pattern(regexp = "tensorrt|cuda|cpu", message = "must be one of tensorrt, cuda, cpu") String> providers,
        @Min(0) int deviceId,
        @Min(0) @Max(256) int intraOpThreads,
        @Min(0) @Max(256) int interOpThreads,
        @Min(1) @Max(64) int maxConcurrentJobs,
        @Min(1) @Max(64) int jobsPerDevice,
        @NotNull @DurationMin(seconds = 1, message = "must be between 1s and 24h")
        @DurationMax(hours = 24, message = "must be between 1s and 24h") Duration jobTimeout,
        @NotNull String tensorrtCacheDir,
        boolean tensorrtFp16,
        @NotNull @Valid GeometryConfig geometry,
        @NotNull @DurationMin(seconds = 0, message = "must be between 0s and 10m")
        @DurationMax(minutes = 10, message = "must be between 0s and 10m") Duration stopGrace) {}
