package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The HTTP server: FHIR endpoint, health, status API. {@code maxRequestBytes} bounds every request body (413 beyond it,
 * before more is read); {@code allowedHosts} are the {@code Host} header values answered ({@code name} or
 * {@code name:port}; empty: the bind address, {@code localhost}, {@code 127.0.0.1} and {@code [::1]} on our port), so a
 * web page cannot reach the API through DNS rebinding; {@code corsOrigins} are the browser origins (e.g.
 * {@code https://viewer.example.org}) that get CORS headers; empty: none; {@code tls}: HTTPS on the same port.
 */
public record HttpConfig(
        @NotBlank String bindAddress,
        @Min(value = 0, message = "must be between 0 and 65535") @Max(value = 65535, message = "must be between 0 and 65535") int port,
        @Min(value = 1024, message = "must be at least 1024") long maxRequestBytes,
        @NotNull List<@NotBlank String> allowedHosts,
        @NotNull List<@NotBlank String> corsOrigins,
        @NotNull @jakarta.validation.Valid HttpTlsConfig tls) {

    /** 4 MiB: a report, or a FHIR resource carrying one, is far smaller. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L << 20;

    /** The defaults of tessera-defaults.yaml. */
    public static HttpConfig defaults() {
        return new HttpConfig("127.0.0.1", 8080, DEFAULT_MAX_REQUEST_BYTES, List.of(), List.of(), HttpTlsConfig.off());
    }
}
