package io.tessera.fhir;

/**
 * One indexed value of a resource for one search parameter (a row of {@code fhir_search}). Tokens: {@code sys} and
 * {@code val}; references: {@code sys} is the target's type and {@code val} its id; strings: {@code val} as written
 * and {@code norm} for case- and accent-blind matching; dates: {@code [low, high)} in epoch milliseconds.
 */
record IndexRow(String param, String sys, String val, String norm, Long low, Long high) {
    static IndexRow token(String param, String system, String value) {
        return new IndexRow(param, blankToNull(system), value, null, null, null);
    }

    static IndexRow reference(String param, String targetType, String targetId) {
        return new IndexRow(param, targetType, targetId, null, null, null);
    }

    static IndexRow string(String param, String value) {
        return new IndexRow(param, null, value, StringNormal.of(value), null, null);
    }

    static IndexRow date(String param, long low, long high) {
        return new IndexRow(param, null, null, null, low, high);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
