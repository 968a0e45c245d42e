package io.tessera.fhir;

import ca.uhn.fhir.model.api.IQueryParameterAnd;
import ca.uhn.fhir.model.api.IQueryParameterOr;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.SortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One search as HAPI parsed it: for each parameter, a list of AND clauses, each a list of OR values (HAPI's typed
 * parameters: token, reference, date, string), plus the sort, {@code _include} and {@code _revinclude}.
 */
final class SearchSpec {
    private final String type;
    private final Map<String, List<List<IQueryParameterType>>> params = new LinkedHashMap<>();
    private SortSpec sort;
    private Set<Include> includes = Set.of();
    private Set<Include> revIncludes = Set.of();

    SearchSpec(String type) {
        this.type = type;
    }

    /** Adds {@code name}'s clauses; a null parameter (absent from the request) adds nothing. */
    SearchSpec and(String name, IQueryParameterAnd<?> and) {
        if (and == null) return this;
        List<List<IQueryParameterType>> clauses = params.computeIfAbsent(name, n -> new ArrayList<>());
        for (IQueryParameterOr<?> or : and.getValuesAsQueryTokens()) {
            clauses.add(new ArrayList<>(or.getValuesAsQueryTokens()));
        }
        return this;
    }

    SearchSpec sort(SortSpec s) {
        this.sort = s;
        return this;
    }

    SearchSpec include(Set<Include> inc, Set<Include> rev) {
        this.includes = inc == null ? Set.of() : inc;
        this.revIncludes = rev == null ? Set.of() : rev;
        return this;
    }

    String type() { return type; }

    Map<String, List<List<IQueryParameterType>>> params() { return params; }

    SortSpec sort() { return sort; }

    Set<Include> includes() { return includes; }

    Set<Include> revIncludes() { return revIncludes; }
}
