package io.tessera.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code _include} and {@code _revinclude} for one page of matches, from the reference rows of the search index:
 * {@code DiagnosticReport:result} adds the Observations a page's reports reference, {@code Source:param:Target} only
 * targets of that type, {@code *} every reference; {@code _revinclude=Provenance:target} adds what points at the page.
 */
final class Includes {
    private Includes() {}

    static void check(String type, Set<Include> includes, Set<Include> revIncludes) {
        for (Include i : includes) {
            if (i.getValue().equals("*")) continue;
            if (!type.equals(i.getParamType()) || !isReference(i.getParamType(), i.getParamName())) {
                throw new InvalidRequestException("_include=" + i.getValue() + " is not supported on " + type);
            }
        }
        for (Include i : revIncludes) {
            if (i.getParamType() == null || !isReference(i.getParamType(), i.getParamName())) {
                throw new InvalidRequestException("_revinclude=" + i.getValue() + " is not supported");
            }
        }
    }

    /** Type/id of everything to include for the page {@code ids} of {@code type}, without the page itself. */
    static Map<String, List<String>> targets(Connection c, String type, List<String> ids, Set<Include> includes,
                                             Set<Include> revIncludes) throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return Map.of();
        for (Include inc : includes) {
            List<String> params = new ArrayList<>();
            if (inc.getValue().equals("*")) {
                SearchParams.of(type).values().stream().filter(p -> p.kind() == RestSearchParameterTypeEnum.REFERENCE)
                        .forEach(p -> params.add(p.name()));
            } else {
                params.add(inc.getParamName());
            }
            for (String param : params) {
                try (PreparedStatement s = c.prepareStatement("SELECT sys, val FROM fhir_search WHERE res_type = ? "
                        + "AND param = ? AND sys IS NOT NULL AND res_id IN (" + marks(ids.size()) + ")")) {
                    s.setString(1, type);
                    s.setString(2, param);
                    for (int i = 0; i < ids.size(); i++) s.setString(i + 3, ids.get(i));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            String target = rs.getString(1);
                            if (inc.getParamTargetType() != null && !inc.getParamTargetType().equals(target)) continue;
                            out.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(rs.getString(2));
                        }
                    }
                }
            }
        }
        for (Include rev : revIncludes) {
            try (PreparedStatement s = c.prepareStatement("SELECT res_id FROM fhir_search WHERE res_type = ? AND param = ?"
                    + " AND sys = ? AND val IN (" + marks(ids.size()) + ")")) {
                s.setString(1, rev.getParamType());
                s.setString(2, rev.getParamName());
                s.setString(3, type);
                for (int i = 0; i < ids.size(); i++) s.setString(i + 4, ids.get(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.computeIfAbsent(rev.getParamType(), t -> new LinkedHashSet<>()).add(rs.getString(1));
                }
            }
        }
        Set<String> page = out.get(type);
        if (page != null) page.removeAll(ids);
        Map<String, List<String>> result = new LinkedHashMap<>();
        out.forEach((t, set) -> {
            if (!set.isEmpty()) result.put(t, new ArrayList<>(set));
        });
        return result;
    }

    private static boolean isReference(String type, String param) {
        return type != null && param != null && SearchParams.find(type, param)
                .map(p -> p.kind() == RestSearchParameterTypeEnum.REFERENCE).orElse(false);
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** Marks a resource as matched by the search (search mode {@code match}). */
    static Resource asMatch(Resource r) {
        ca.uhn.fhir.model.api.ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r,
                ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum.MATCH);
        return r;
    }

    /** Marks a resource as included (search mode {@code include}), not matched. */
    static Resource asIncluded(Resource r) {
        ca.uhn.fhir.model.api.ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r,
                ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum.INCLUDE);
        return r;
    }
}
