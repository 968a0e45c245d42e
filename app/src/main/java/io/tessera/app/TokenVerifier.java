package io.tessera.app;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tessera.config.OAuthConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a bearer token: a JWT signed with one of the configured asymmetric algorithms by a key of the issuer's JWK Set
 * (fetched from {@code jwksUri}, cached, and fetched again, at most every 30 s, when a token names a key id not in the
 * cache; or read from {@code jwksFile}, read again when the file changes), with {@code iss} the issuer, {@code aud}
 * holding the audience, and {@code exp} (required) and {@code nbf} honoured with the configured clock skew.
 */
final class TokenVerifier {
    /** Why a token was refused, worded for the {@code error_description} of the 401; never echoes the token. */
    static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason);
        }
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    TokenVerifier(OAuthConfig oauth) throws IOException {
        JWKSource<SecurityContext> keys = oauth.jwksFile() != null && !oauth.jwksFile().isBlank()
                ? new FileKeys(Path.of(oauth.jwksFile()))
                : JWKSourceBuilder.<SecurityContext>create(URI.create(oauth.jwksUri()).toURL()).retrying(true).build();
        Set<JWSAlgorithm> algorithms = oauth.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        // access tokens are typed JWT or at+jwt (RFC 9068); an untyped one is accepted, as most issuers send them so
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(oauth.audience()),
                new JWTClaimsSet.Builder().issuer(oauth.issuer()).build(), Set.of("exp"), null);
        claims.setMaxClockSkew((int) oauth.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller the token proves, or {@link InvalidToken} with the reason. */
    Caller verify(String token, String address) throws InvalidToken {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (java.text.ParseException e) {
            throw new InvalidToken("not a JWT");
        } catch (com.nimbusds.jose.proc.BadJOSEException e) {
            throw new InvalidToken(e.getMessage());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new InvalidToken("the token could not be checked: " + e.getMessage());
        }
        String client = firstString(claims, "client_id", "azp");
        String subject = claims.getSubject();
        String patient = firstString(claims, "patient");
        return new Caller(client != null ? client : subject, subject, "bearer", scopes(claims), patient, address);
    }

    /** {@code scope} (RFC 8693/9068: one space-separated string) or {@code scp} (a list, as some issuers send). */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String s) scopes.addAll(List.of(s.trim().split("\\s+")));
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) list.forEach(o -> scopes.add(String.valueOf(o)));
        else if (scp instanceof String s) scopes.addAll(List.of(s.trim().split("\\s+")));
        scopes.remove("");
        return new HashSet<>(scopes);
    }

    private static String firstString(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            if (claims.getClaim(name) instanceof String s && !s.isBlank()) return s;
        }
        return null;
    }

    /** A JWK Set file, read again whenever it changes (key rotation without a restart). */
    private static final class FileKeys implements JWKSource<SecurityContext> {
        private final Path file;
        private FileTime loadedAt;
        private JWKSet keys;

        FileKeys(Path file) throws IOException {
            this.file = file;
            reload();
        }

        private synchronized JWKSet current() {
            try {
                if (!Files.getLastModifiedTime(file).equals(loadedAt)) reload();
            } catch (IOException e) {
                // keep the keys we have: a file being replaced must not lock everyone out
            }
            return keys;
        }

        private void reload() throws IOException {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                keys = JWKSet.load(file.toFile());
                loadedAt = modified;
            } catch (java.text.ParseException e) {
                throw new IOException("TSR-0811: " + file + " is not a JWK Set: " + e.getMessage(), e);
            }
        }

        @Override
        public List<com.nimbusds.jose.jwk.JWK> get(com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context) {
            return selector.select(current());
        }
    }
}
