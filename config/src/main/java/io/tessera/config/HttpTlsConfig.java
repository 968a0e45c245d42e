package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;

/**
 * HTTPS on the HTTP port (BCP 195: TLS 1.3 and 1.2, forward-secret AEAD suites). {@code clientAuth}: {@code none},
 * {@code want} (a client certificate is asked for and, when sent, must be trusted) or {@code need}. Responses carry
 * {@code Strict-Transport-Security} with {@code hstsMaxAge} (0: none).
 */
public record HttpTlsConfig(
        boolean enabled,
        String keyStore,
        String keyStorePassword,
        String trustStore,
        String trustStorePassword,
        @NotNull @Pattern(regexp = "none|want|need", message = "must be one of none, want, need") String clientAuth,
        @NotNull @NotEmpty List<@Pattern(regexp = "TLSv1\\.[23]", message = "must be TLSv1.3 or TLSv1.2 (BCP 195)") String> protocols,
        @NotNull Duration hstsMaxAge) {

    @AssertTrue(message = "keyStore is required when tls is enabled")
    public boolean isKeyStoreGiven() {
        return !enabled || (keyStore != null && !keyStore.isBlank());
    }

    public static HttpTlsConfig off() {
        return new HttpTlsConfig(false, "", "", "", "", "none", List.of("TLSv1.3", "TLSv1.2"), Duration.ofDays(365));
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "HttpTlsConfig[enabled=" + enabled + ", keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", clientAuth=" + clientAuth + ", protocols=" + protocols + ", hstsMaxAge=" + hstsMaxAge + "]";
    }
}
