package io.tessera.fhir;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART scopes that let a client manage Subscriptions: {@code system/} or {@code user/} {@code Subscription} (or
 * {@code *}) with {@code .write}/{@code .*} (v1) or the letters {@code c}, {@code u}, {@code d} (v2, e.g.
 * {@code .cruds}). Reading and listing come from the read and search letters as for any type
 * ({@link SmartAuthorization}). A {@code patient/} scope never manages Subscriptions: a criteria may name any patient.
 */
final class SubscriptionAccess {
    private static final Pattern FORM = Pattern.compile("(user|system)/(\\*|Subscription)\\.(write|\\*|c?r?u?d?s?)");

    private SubscriptionAccess() {}

    static void addRules(IAuthRuleBuilder rules, FhirGrant grant) {
        for (String scope : grant.scopes()) {
            Matcher m = FORM.matcher(scope);
            if (!m.matches() || m.group(3).isEmpty()) continue;
            String op = m.group(3);
            boolean all = op.equals("*") || op.equals("write");
            if (all || op.contains("c")) rules.allow(scope).create().resourcesOfType("Subscription").withAnyId();
            if (all || op.contains("u")) rules.allow(scope).write().resourcesOfType("Subscription").withAnyId();
            if (all || op.contains("d")) rules.allow(scope).delete().resourcesOfType("Subscription").withAnyId();
        }
    }
}
