package io.tessera.fhir;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR scope, v1 ({@code system/DiagnosticReport.read}, {@code .write}, {@code .*}) or v2
 * ({@code system/DiagnosticReport.rs}, letters from {@code cruds}). {@code context} is {@code system}, {@code user} or
 * {@code patient}; {@code type} a resource type or {@code *}. A v2 scope with a query restriction
 * ({@code ...rs?category=...}) is not granted at all: honouring half of it would show more than the issuer allowed.
 */
public record SmartScope(String context, String type, boolean read, boolean search, boolean create) {
    private static final Pattern FORM = Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.(read|write|\\*|c?r?u?d?s?)");

    /** The scope, or empty when {@code text} is not a SMART resource scope this server honours. */
    public static Optional<SmartScope> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches() || m.group(3).isEmpty()) return Optional.empty();
        String op = m.group(3);
        boolean all = op.equals("*");
        boolean read = all || op.equals("read") || (!op.equals("write") && op.contains("r"));
        boolean search = all || op.equals("read") || (!op.equals("write") && op.contains("s"));
        boolean create = all || op.equals("write") || (!op.equals("read") && op.contains("c"));
        return Optional.of(new SmartScope(m.group(1), m.group(2), read, search, create));
    }

    /** Whether this scope is bound to the token's patient (its reads are narrowed to that patient's compartment). */
    public boolean patientBound() {
        return context.equals("patient");
    }

    public boolean covers(String resourceType) {
        return type.equals("*") || type.equals(resourceType);
    }
}
