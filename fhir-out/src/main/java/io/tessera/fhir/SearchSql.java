package io.tessera.fhir;

import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * A {@link SearchSpec} as one SQL query over {@code fhir_resource r} and its index rows, with its bind values.
 * Each AND clause is a condition; its OR values are alternatives; a value is an {@code EXISTS} over the index rows
 * of the parameter ({@code NOT EXISTS} for {@code :not} and {@code :missing=true}). What the query cannot answer
 * exactly is refused with 400, never answered approximately.
 */
final class SearchSql {
    private static final String ROWS = "SELECT 1 FROM fhir_search s WHERE s.res_type = r.res_type AND s.res_id = r.res_id"
            + " AND s.param = ?";

    final StringBuilder sql = new StringBuilder();
    final List<Object> binds = new ArrayList<>();

    static SearchSql of(SearchSpec spec) {
        SearchSql q = new SearchSql();
        q.sql.append("SELECT r.res_id FROM fhir_resource r WHERE r.res_type = ? AND r.is_current = TRUE");
        q.binds.add(spec.type());
        for (Map.Entry<String, List<List<IQueryParameterType>>> p : spec.params().entrySet()) {
            for (List<IQueryParameterType> or : p.getValue()) {
                q.sql.append(" AND (");
                for (int i = 0; i < or.size(); i++) {
                    if (i > 0) q.sql.append(" OR ");
                    q.value(spec.type(), p.getKey(), or.get(i));
                }
                q.sql.append(")");
            }
        }
        q.order(spec.sort());
        return q;
    }

    private void value(String type, String name, IQueryParameterType v) {
        if ("_id".equals(name)) {
            TokenParam t = (TokenParam) v;
            sql.append(t.getModifier() == TokenParamModifier.NOT ? "r.res_id <> ?" : "r.res_id = ?");
            binds.add(new org.hl7.fhir.r4.model.IdType(t.getValue()).getIdPart());
            return;
        }
        if ("_lastUpdated".equals(name)) {
            date("r.last_updated", "r.last_updated + 1", (DateParam) v);
            return;
        }
        SearchParams.Param p = SearchParams.find(type, name)
                .orElseThrow(() -> new InvalidRequestException("Unknown search parameter " + name + " for " + type));
        if (Boolean.TRUE.equals(v.getMissing()) || Boolean.FALSE.equals(v.getMissing())) {
            // a reference given only by identifier (an order known by its accession) is present too
            sql.append(v.getMissing() ? "NOT EXISTS (" : "EXISTS (").append(ROWS.replace("s.param = ?", "s.param IN (?, ?)"))
                    .append(")");
            binds.add(name);
            binds.add(name + ":identifier");
            return;
        }
        switch (p.kind()) {
            case TOKEN -> token(name, (TokenParam) v);
            case REFERENCE -> reference(p, (ReferenceParam) v);
            case DATE -> {
                sql.append("EXISTS (").append(ROWS).append(" AND ");
                binds.add(name);
                date("s.low", "s.high", (DateParam) v);
                sql.append(")");
            }
            case STRING -> {
                sql.append("EXISTS (").append(ROWS).append(" AND ");
                binds.add(name);
                string((StringParam) v);
                sql.append(")");
            }
            default -> throw new InvalidRequestException("Search parameter " + name + " is not supported");
        }
    }

    private void token(String name, TokenParam t) {
        TokenParamModifier m = t.getModifier();
        if (m != null && m != TokenParamModifier.NOT) {
            throw new InvalidRequestException("Modifier " + m.getValue() + " is not supported on " + name
                    + " (supported: :not, :missing)");
        }
        sql.append(m == TokenParamModifier.NOT ? "NOT EXISTS (" : "EXISTS (").append(ROWS);
        binds.add(name);
        tokenMatch("s", t);
        sql.append(")");
    }

    /** {@code code}, {@code system|code}, {@code |code} (no system) and {@code system|} (any code of the system). */
    private void tokenMatch(String alias, TokenParam t) {
        String system = t.getSystem();
        String value = t.getValue();
        if (value != null && !value.isEmpty()) {
            sql.append(" AND ").append(alias).append(".val = ?");
            binds.add(value);
        }
        if (system != null) {
            if (system.isEmpty()) {
                sql.append(" AND ").append(alias).append(".sys IS NULL");
            } else {
                sql.append(" AND ").append(alias).append(".sys = ?");
                binds.add(system);
            }
        }
        if ((value == null || value.isEmpty()) && (system == null || system.isEmpty())) {
            throw new InvalidRequestException("A token search needs a code, a system or both");
        }
    }

    private void reference(SearchParams.Param p, ReferenceParam ref) {
        String chain = ref.getChain();
        if ("identifier".equals(ref.getResourceType()) && chain == null) { // the :identifier modifier
            sql.append("EXISTS (").append(ROWS);
            binds.add(p.name() + ":identifier");
            tokenMatch("s", token(ref.getValue()));
            sql.append(")");
            return;
        }
        List<String> targets = targets(p, ref);
        sql.append("EXISTS (").append(ROWS).append(" AND (");
        binds.add(p.name());
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0) sql.append(" OR ");
            sql.append("(s.sys = ?");
            binds.add(targets.get(i));
            if (chain == null) {
                sql.append(" AND s.val = ?)");
                binds.add(ref.getIdPart());
            } else {
                chained(targets.get(i), chain, ref.getValue());
                sql.append(")");
            }
        }
        sql.append("))");
    }

    /** {@code subject.identifier=x}: the reference's target has an index row of {@code chain} matching {@code x}. */
    private void chained(String target, String chain, String value) {
        SearchParams.Param c = SearchParams.find(target, chain).orElseThrow(() -> new InvalidRequestException(
                "Chained search " + chain + " is not supported on " + target));
        sql.append(" AND s.val IN (SELECT t.res_id FROM fhir_search t WHERE t.res_type = ? AND t.param = ?");
        binds.add(target);
        binds.add(chain);
        if (c.kind() == RestSearchParameterTypeEnum.TOKEN) {
            tokenMatch("t", token(value));
        } else if (c.kind() == RestSearchParameterTypeEnum.STRING) {
            sql.append(" AND t.norm LIKE ? ESCAPE '!'");
            binds.add(like(StringNormal.of(value)) + "%");
        } else {
            throw new InvalidRequestException("Chained search on " + target + "." + chain + " is not supported");
        }
        sql.append(")");
    }

    /** The types a reference value may point to: its own {@code Type/} or {@code :Type}, else every served target. */
    private static List<String> targets(SearchParams.Param p, ReferenceParam ref) {
        String explicit = ref.getResourceType();
        if (explicit != null) return List.of(explicit);
        if (p.targetType() != null) return List.of(p.targetType());
        List<String> served = new ArrayList<>();
        for (String t : p.targets()) {
            if (!SearchParams.of(t).isEmpty()) served.add(t);
        }
        if (served.isEmpty()) throw new InvalidRequestException("Search parameter " + p.name() + " needs Type/id");
        return served;
    }

    private void string(StringParam s) {
        if (s.isExact()) {
            sql.append("s.val = ?");
            binds.add(s.getValue());
        } else if (s.isContains()) {
            sql.append("s.norm LIKE ? ESCAPE '!'");
            binds.add("%" + like(StringNormal.of(s.getValue())) + "%");
        } else {
            sql.append("s.norm LIKE ? ESCAPE '!'");
            binds.add(like(StringNormal.of(s.getValue())) + "%");
        }
    }

    private static TokenParam token(String queryValue) {
        TokenParam t = new TokenParam();
        t.setValueAsQueryToken(FhirContexts.r4(), null, null, queryValue);
        return t;
    }

    private static String like(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /**
     * FHIR date search: the stored value covers {@code [low, high)} and the searched value as much time as its
     * precision; the prefix says how the two ranges must relate.
     */
    private void date(String low, String high, DateParam d) {
        if (d.getValue() == null) throw new InvalidRequestException("A date search needs a date");
        long[] p = SearchIndexer.range(new DateTimeType(d.getValueAsString()));
        long pStart = p[0];
        long pEnd = p[1];
        ParamPrefixEnum prefix = d.getPrefix() == null ? ParamPrefixEnum.EQUAL : d.getPrefix();
        switch (prefix) {
            case GREATERTHAN -> { sql.append(high).append(" > ?"); binds.add(pEnd); }
            case GREATERTHAN_OR_EQUALS -> { sql.append(high).append(" > ?"); binds.add(pStart); }
            case LESSTHAN -> { sql.append(low).append(" < ?"); binds.add(pStart); }
            case LESSTHAN_OR_EQUALS -> { sql.append(low).append(" < ?"); binds.add(pEnd); }
            case STARTS_AFTER -> { sql.append(low).append(" >= ?"); binds.add(pEnd); }
            case ENDS_BEFORE -> { sql.append(high).append(" <= ?"); binds.add(pStart); }
            case NOT_EQUAL -> { sql.append("(").append(low).append(" < ? OR ").append(high).append(" > ?)"); binds.add(pStart); binds.add(pEnd); }
            case APPROXIMATE -> { sql.append("(").append(low).append(" < ? AND ").append(high).append(" > ?)"); binds.add(pEnd); binds.add(pStart); }
            default -> { sql.append("(").append(low).append(" >= ? AND ").append(high).append(" <= ?)"); binds.add(pStart); binds.add(pEnd); }
        }
    }

    private void order(SortSpec sort) {
        List<String> keys = new ArrayList<>();
        for (SortSpec s = sort; s != null; s = s.getChain()) {
            boolean desc = s.getOrder() == SortOrderEnum.DESC;
            String dir = desc ? " DESC" : " ASC";
            String name = s.getParamName();
            if ("_id".equals(name)) {
                keys.add("r.res_id" + dir);
            } else if ("_lastUpdated".equals(name)) {
                keys.add("r.last_updated" + dir);
            } else {
                String type = (String) binds.get(0);
                SearchParams.Param p = SearchParams.find(type, name)
                        .orElseThrow(() -> new InvalidRequestException("Cannot sort " + type + " by " + name));
                String column = switch (p.kind()) {
                    case DATE -> desc ? "MAX(s.high)" : "MIN(s.low)";
                    case STRING -> desc ? "MAX(s.norm)" : "MIN(s.norm)";
                    default -> desc ? "MAX(s.val)" : "MIN(s.val)";
                };
                // FHIR sorts by the lowest value ascending and the highest descending; resources without one last
                keys.add("(SELECT " + column + " FROM fhir_search s WHERE s.res_type = r.res_type AND s.res_id = r.res_id"
                        + " AND s.param = '" + p.name().replace("'", "") + "')" + dir + " NULLS LAST");
            }
        }
        keys.add("r.pid ASC");
        sql.append(" ORDER BY ").append(String.join(", ", keys));
    }
}
