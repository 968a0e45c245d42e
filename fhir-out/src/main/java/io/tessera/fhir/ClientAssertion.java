package io.tessera.fhir;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The signed JWT a SMART Backend Services client authenticates with (RFC 7523 client assertion): {@code iss} and
 * {@code sub} the client ID, {@code aud} the token endpoint, a {@code jti} never used before, and an {@code exp} under
 * the five minutes SMART allows — four, so that a server whose clock runs a little ahead does not find it too far out.
 * RS384 for an RSA key, ES384 for a P-384 key; {@code kid} names the key in the JWK Set the server registered.
 */
final class ClientAssertion {
    static final Duration LIFETIME = Duration.ofMinutes(4);
    private final String clientId;
    private final String audience;
    private final String keyId;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;

    ClientAssertion(String clientId, String tokenEndpoint, PrivateKey key, String keyId) {
        this.clientId = clientId;
        this.audience = tokenEndpoint;
        this.keyId = keyId == null || keyId.isBlank() ? null : keyId;
        try {
            if (key instanceof ECPrivateKey ec) {
                this.algorithm = JWSAlgorithm.ES384;
                this.signer = new ECDSASigner(ec);
            } else {
                this.algorithm = JWSAlgorithm.RS384;
                this.signer = new RSASSASigner(key);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("TSR-0633: the private key cannot sign " + (key instanceof ECPrivateKey ? "ES384" : "RS384")
                    + ": " + e.getMessage(), e);
        }
    }

    /** A freshly signed assertion, valid from {@code now} for {@link #LIFETIME}. */
    String sign(Instant now) throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
