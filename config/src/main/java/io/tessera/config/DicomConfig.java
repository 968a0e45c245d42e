package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** The DICOM listener: who we are, where we listen, whom we accept. */
public record DicomConfig(
        @NotBlank @Pattern(regexp = "[ -\\[\\]-~]{1,16}", message = "must be 1-16 printable characters without backslash") String aeTitle,
        @NotBlank String bindAddress,
        @Min(0) @Max(65535) int port,
        @NotNull List<@NotBlank @Pattern(regexp = "[ -\\[\\]-~]{1,16}", message = "must be 1-16 printable characters without backslash") String> allowedCallingAeTitles,
        @Min(4096) @Max(16777216) int maxPduLength) {}
