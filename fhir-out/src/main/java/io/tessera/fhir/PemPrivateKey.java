package io.tessera.fhir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the SMART Backend Services signing key: a PEM {@code PRIVATE KEY} (PKCS#8, as {@code openssl genpkey} writes
 * it), RSA (signed RS384) or EC on P-384 (signed ES384, the two algorithms SMART requires servers to accept). Other
 * curves and the older {@code RSA PRIVATE KEY}/{@code EC PRIVATE KEY} forms are refused with what to run instead.
 */
final class PemPrivateKey {
    private PemPrivateKey() {}

    static PrivateKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("TSR-0633: cannot read the private key file " + file + ": " + e.getMessage(), e);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("TSR-0633: " + file + " is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TSR-0633: " + file + ": the PEM body is not Base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                if (key instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() != 384) {
                    throw new IllegalArgumentException("TSR-0633: " + file + " is an EC key on a " + ec.getParams().getCurve()
                            .getField().getFieldSize() + "-bit curve; ES384 needs P-384 (openssl genpkey -algorithm EC"
                            + " -pkeyopt ec_paramgen_curve:P-384)");
                }
                return key;
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next
            }
        }
        throw new IllegalArgumentException("TSR-0633: " + file + " holds neither an RSA nor an EC private key");
    }
}
