package io.tessera.app;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** An issuer for tests: key pairs, their public JWK Set, and tokens minted with chosen claims and keys. */
final class TestTokens {
    static final String ISSUER = "https://idp.tessera.test";
    static final String AUDIENCE = "https://tessera.test";

    final RSAKey rsa;
    final ECKey ec;

    TestTokens() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
    }

    static RSAKey newRsaKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    /** The public JWK Set of {@code keys}. */
    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    Path writeJwks(Path file) throws Exception {
        Files.writeString(file, jwks(rsa, ec));
        return file;
    }

    /** A valid RS256 token for {@code client} with {@code scope} (space-separated), 5 minutes left. */
    String token(String client, String scope) throws Exception {
        return sign(rsa, JWSAlgorithm.RS256, claims(client, scope).build());
    }

    /** As {@link #token}, with the claims changed by {@code edit}. */
    String token(String client, String scope, UnaryOperator<JWTClaimsSet.Builder> edit) throws Exception {
        return sign(rsa, JWSAlgorithm.RS256, edit.apply(claims(client, scope)).build());
    }

    static JWTClaimsSet.Builder claims(String client, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(client).claim("client_id", client)
                .claim("scope", scope).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
