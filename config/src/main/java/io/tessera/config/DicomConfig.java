package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * The DICOM listener: who we are, where we listen (plain port, TLS port), whom we accept, and its limits and audit log.
 * An allowed calling AE is {@code AE} (from anywhere), {@code AE@host} (only from that host's addresses) or
 * {@code AE@network/prefix} (only from that IPv4 or IPv6 network, e.g. {@code PACS@10.1.2.0/24}, {@code CT@fd00::/64}).
 * {@code port: -1} disables the plain port. Accepted SOP classes and transfer syntaxes (the latter in order of
 * preference) are UIDs or DICOM keywords, resolved by {@link DicomUids}.
 */
public record DicomConfig(
        @NotBlank @Pattern(regexp = "[ -\\[\\]-~]{1,16}", message = "must be 1-16 printable characters without backslash") String aeTitle,
        @NotBlank String bindAddress,
        @Min(-1) @Max(65535) int port,
        @NotNull List<@NotBlank @Pattern(regexp = "[ -?A-\\[\\]-~]{1,16}(@[A-Za-z0-9.:%-]{1,253}(/[0-9]{1,3})?)?",
                message = "must be AE or AE@host or AE@network/prefix (AE: 1-16 printable characters without backslash or @)")
                String> allowedCallingAeTitles,
        @Min(4096) @Max(16777216) int maxPduLength,
        @NotNull @Valid TlsConfig tls,
        @NotNull @Valid LimitsConfig limits,
        @NotNull @Valid AuditConfig audit,
        @NotNull List<@NotBlank String> acceptedSopClasses,
        @NotNull List<@NotBlank String> acceptedTransferSyntaxes) {

    @AssertTrue(message = "port -1 (no plain port) needs tls.enabled")
    public boolean isAnyPortOpen() {
        return port >= 0 || (tls != null && tls.enabled());
    }
}
