package io.tessera.fhir;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The search parameters Tessera's endpoint indexes and answers, per resource type. Standard ones take their FHIRPath
 * and type from HAPI's copy of the R4 definitions; Tessera declares two of its own on DiagnosticReport
 * ({@code imaging-study}, {@code accession}). {@code _id} and {@code _lastUpdated} are answered from the resource
 * table, not from the index. A parameter that is not listed here is refused (400) by the server.
 */
final class SearchParams {
    /** One indexed parameter: its name, kind and the FHIRPath that finds its values. */
    record Param(String name, RestSearchParameterTypeEnum kind, String path, String targetType, List<String> targets) {}

    private static final Map<String, List<String>> STANDARD = Map.of(
            "DiagnosticReport", List.of("patient", "subject", "category", "code", "date", "issued", "status",
                    "identifier", "based-on", "result", "conclusion", "performer", "results-interpreter"),
            "Observation", List.of("patient", "subject", "category", "code", "date", "status", "derived-from",
                    "identifier", "device", "method", "focus"),
            "ImagingStudy", List.of("patient", "subject", "identifier", "started", "modality", "series", "status",
                    "endpoint"),
            "Patient", List.of("identifier", "name", "family", "given", "birthdate", "gender"),
            "Device", List.of("identifier", "device-name", "manufacturer", "model"),
            "Provenance", List.of("target", "agent", "entity", "recorded"));

    private static final Map<String, Map<String, Param>> BY_TYPE = new LinkedHashMap<>();

    static {
        STANDARD.forEach((type, names) -> {
            Map<String, Param> params = new LinkedHashMap<>();
            for (String name : names) {
                RuntimeSearchParam sp = FhirContexts.r4().getResourceDefinition(type).getSearchParam(name);
                params.put(name, of(sp));
            }
            BY_TYPE.put(type, params);
        });
        Map<String, Param> report = BY_TYPE.get("DiagnosticReport");
        report.put("imaging-study", new Param("imaging-study", RestSearchParameterTypeEnum.REFERENCE,
                "DiagnosticReport.imagingStudy", "ImagingStudy", List.of("ImagingStudy")));
        report.put("accession", new Param("accession", RestSearchParameterTypeEnum.TOKEN,
                "DiagnosticReport.basedOn.identifier", null, List.of()));
    }

    private SearchParams() {}

    /** The parameters of {@code type}, by name (empty for a type Tessera does not serve). */
    static Map<String, Param> of(String type) {
        return BY_TYPE.getOrDefault(type, Map.of());
    }

    static Optional<Param> find(String type, String name) {
        return Optional.ofNullable(of(type).get(name));
    }

    /**
     * {@code X.subject.where(resolve() is Patient)} becomes {@code X.subject} restricted to Patient targets: the
     * store resolves nothing while indexing, it only reads the reference's type.
     */
    private static Param of(RuntimeSearchParam sp) {
        String path = sp.getPath();
        String target = null;
        int where = path.indexOf(".where(resolve() is ");
        if (where > 0) {
            target = path.substring(where + ".where(resolve() is ".length(), path.length() - 1);
            path = path.substring(0, where);
        }
        return new Param(sp.getName(), sp.getParamType(), path, target, List.copyOf(sp.getTargets()));
    }
}
