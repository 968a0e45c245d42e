package io.tessera.fhir;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** FHIR search semantics for the few parameter kinds Tessera's endpoint offers; a null parameter matches everything. */
final class SearchMatch {
    private SearchMatch() {}

    /** {@code patient=123}, {@code patient=Patient/123} or an absolute URL ending in {@code Patient/123}. */
    static boolean reference(ReferenceParam p, String targetType, Reference ref) {
        if (p == null) return true;
        if (ref == null || !ref.hasReference()) return false;
        if (p.getResourceType() != null && !p.getResourceType().equals(targetType)) return false;
        String[] parts = ref.getReference().split("/");
        return parts.length >= 2 && parts[parts.length - 2].equals(targetType)
                && parts[parts.length - 1].equals(p.getIdPart());
    }

    static boolean anyReference(ReferenceParam p, String targetType, List<Reference> refs) {
        if (p == null) return true;
        for (Reference r : refs) if (reference(p, targetType, r)) return true;
        return false;
    }

    /** {@code system|value}, {@code |value} (no system) or {@code value} (any system). */
    static boolean identifier(TokenParam p, List<Identifier> ids) {
        if (p == null) return true;
        for (Identifier id : ids) if (token(p, id.getSystem(), id.getValue())) return true;
        return false;
    }

    static boolean code(TokenParam p, CodeableConcept cc) {
        if (p == null) return true;
        if (cc == null) return false;
        for (Coding c : cc.getCoding()) if (token(p, c.getSystem(), c.getCode())) return true;
        return false;
    }

    static boolean code(TokenParam p, String code) {
        return p == null || (code != null && code.equals(p.getValue()));
    }

    /**
     * FHIR date search: the resource's date and each searched value are ranges as wide as their precision
     * (a day, a second, ...) and the prefix says how they must relate. Implemented here rather than with
     * {@code DateRangeParam#getUpperBoundAsInstant()}, which treats {@code lt<day>} as the end of that day.
     */
    static boolean date(DateRangeParam p, BaseDateTimeType value) {
        if (p == null) return true;
        if (value == null || value.getValue() == null) return false;
        long rStart = value.getValue().getTime();
        long rEnd = value.getPrecision().add(value.getValue(), 1).getTime();
        return bound(p.getLowerBound(), rStart, rEnd) && bound(p.getUpperBound(), rStart, rEnd);
    }

    private static boolean bound(DateParam d, long rStart, long rEnd) {
        if (d == null || d.getValue() == null) return true;
        long pStart = d.getValue().getTime();
        long pEnd = d.getPrecision().add(d.getValue(), 1).getTime();
        ParamPrefixEnum prefix = d.getPrefix() == null ? ParamPrefixEnum.EQUAL : d.getPrefix();
        return switch (prefix) {
            case GREATERTHAN -> rEnd > pEnd;
            case GREATERTHAN_OR_EQUALS -> rEnd > pStart;
            case LESSTHAN -> rStart < pStart;
            case LESSTHAN_OR_EQUALS -> rStart < pEnd;
            case STARTS_AFTER -> rStart >= pEnd;
            case ENDS_BEFORE -> rEnd <= pStart;
            case NOT_EQUAL -> rStart < pStart || rEnd > pEnd;
            default -> rStart >= pStart && rEnd <= pEnd; // eq, ap
        };
    }

    private static boolean token(TokenParam p, String system, String value) {
        if (p.getValue() == null || !p.getValue().equals(value)) return false;
        if (p.getSystem() == null) return true;
        return p.getSystem().isEmpty() ? system == null : p.getSystem().equals(system);
    }
}
