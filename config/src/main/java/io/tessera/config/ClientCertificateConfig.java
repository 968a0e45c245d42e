package io.tessera.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * A machine client known by its TLS client certificate (mutual TLS on the HTTP port): a certificate that the trust
 * store accepts and whose subject is {@code subject} (an RFC 2253 distinguished name, e.g.
 * {@code CN=ris.example.org,O=Hospital}; compared as names, not as strings) acts as {@code name} with {@code scopes}.
 */
public record ClientCertificateConfig(
        @NotBlank String name,
        @NotBlank String subject,
        @NotNull List<@NotBlank String> scopes) {}
