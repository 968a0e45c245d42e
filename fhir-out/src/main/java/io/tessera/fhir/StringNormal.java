package io.tessera.fhir;

import java.text.Normalizer;
import java.util.Locale;

/** FHIR string search compares without case and accents: {@code Müller} is found by {@code muller}. */
final class StringNormal {
    private StringNormal() {}

    static String of(String s) {
        if (s == null) return null;
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }
}
