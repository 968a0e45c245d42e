package io.tessera.fhir;

import ca.uhn.fhir.model.api.IQueryParameterAnd;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Subscription's {@code criteria} ({@code DiagnosticReport?status=preliminary&category=RAD}) as a {@link SearchSpec}
 * of the endpoint's own searches: HAPI's parameter types parse the values exactly as for a search request, and
 * {@link SearchSql} decides what is supported, so a criteria is accepted iff the same search would be answered.
 * A resource matches when that search, restricted to its id ({@code _id}), finds it: there is no second matcher.
 */
final class SubscriptionCriteria {
    /** The result types an EHR subscribes to; the others never change after they are first stored. */
    static final Set<String> TYPES = Set.of("DiagnosticReport", "Observation");

    private SubscriptionCriteria() {}

    /** The criteria's resource type, checking the whole criteria; 400 (TSR-0640) when it cannot be answered. */
    static String check(String criteria) {
        SearchSpec spec = parse(criteria);
        try {
            SearchSql.of(spec);
        } catch (InvalidRequestException e) {
            throw refused(criteria, e.getMessage());
        }
        return spec.type();
    }

    /** True when the current version of {@code type/id}, as seen on {@code c} (inside the store's transaction), matches. */
    static boolean matches(Connection c, String criteria, String type, String id) throws SQLException {
        SearchSpec spec = parse(criteria);
        if (!spec.type().equals(type)) return false;
        spec.and("_id", new TokenAndListParam().addAnd(new TokenParam(id)));
        SearchSql q = SearchSql.of(spec);
        try (PreparedStatement s = c.prepareStatement(q.sql.toString())) {
            for (int i = 0; i < q.binds.size(); i++) s.setObject(i + 1, q.binds.get(i));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static SearchSpec parse(String criteria) {
        if (criteria == null || criteria.isBlank()) throw refused(criteria, "Subscription.criteria is required");
        String text = criteria.trim();
        int q = text.indexOf('?');
        String type = q < 0 ? text : text.substring(0, q);
        if (!TYPES.contains(type)) {
            throw refused(criteria, "criteria must search DiagnosticReport or Observation, e.g. DiagnosticReport?status=final");
        }
        SearchSpec spec = new SearchSpec(type);
        Map<String, List<QualifiedParamList>> byName = new LinkedHashMap<>();
        for (String pair : q < 0 ? new String[0] : text.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw refused(criteria, "'" + pair + "' is not name=value");
            String key = decode(pair.substring(0, eq));
            int cut = firstOf(key, ':', '.');
            String name = cut < 0 ? key : key.substring(0, cut);
            String qualifier = cut < 0 ? null : key.substring(cut);
            byName.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(QualifiedParamList.splitQueryStringByCommasIgnoreEscape(qualifier, decode(pair.substring(eq + 1))));
        }
        for (Map.Entry<String, List<QualifiedParamList>> p : byName.entrySet()) {
            IQueryParameterAnd<?> and = emptyOf(type, p.getKey(), criteria);
            try {
                and.setValuesAsQueryTokens(FhirContexts.r4(), p.getKey(), p.getValue());
            } catch (RuntimeException e) {
                throw refused(criteria, p.getKey() + ": " + e.getMessage());
            }
            spec.and(p.getKey(), and);
        }
        return spec;
    }

    /** HAPI's AND-list type for a parameter; result parameters (_include, _sort, _count ...) mean nothing here. */
    private static IQueryParameterAnd<?> emptyOf(String type, String name, String criteria) {
        if (name.equals("_id")) return new TokenAndListParam();
        if (name.equals("_lastUpdated")) return new DateAndListParam();
        SearchParams.Param p = SearchParams.find(type, name)
                .orElseThrow(() -> refused(criteria, "search parameter " + name + " is not supported on " + type));
        return switch (p.kind()) {
            case TOKEN -> new TokenAndListParam();
            case REFERENCE -> new ReferenceAndListParam();
            case DATE -> new DateAndListParam();
            case STRING -> new StringAndListParam();
            default -> throw refused(criteria, "search parameter " + name + " is not supported in criteria");
        };
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a lone '%' is taken as written
        }
    }

    private static InvalidRequestException refused(String criteria, String why) {
        return new InvalidRequestException("TSR-0640: Subscription.criteria '" + criteria + "' is not supported: " + why);
    }
}
