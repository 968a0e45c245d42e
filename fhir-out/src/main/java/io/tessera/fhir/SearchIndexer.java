package io.tessera.fhir;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The index rows of one resource: each parameter of {@link SearchParams} evaluated with HAPI's FHIRPath engine, and
 * its values turned into rows the way FHIR search compares them. A reference that carries an identifier also gives a
 * token row under {@code <param>:identifier}, so {@code based-on:identifier=...} finds an order known only by its
 * accession number.
 */
final class SearchIndexer {
    private static final IFhirPath PATH = FhirContexts.r4().newFhirPath();

    private SearchIndexer() {}

    static List<IndexRow> rows(Resource resource) {
        List<IndexRow> out = new ArrayList<>();
        for (SearchParams.Param p : SearchParams.of(resource.fhirType()).values()) {
            for (Base value : PATH.evaluate(resource, p.path(), Base.class)) add(out, p, value);
        }
        return out;
    }

    private static void add(List<IndexRow> out, SearchParams.Param p, Base v) {
        String name = p.name();
        switch (p.kind()) {
            case TOKEN -> tokens(out, name, v);
            case REFERENCE -> {
                if (v instanceof Reference r) reference(out, p, r);
            }
            case DATE -> {
                long[] range = range(v);
                if (range != null) out.add(IndexRow.date(name, range[0], range[1]));
            }
            case STRING -> strings(out, name, v);
            default -> { } // URI, number, quantity, composite: none is offered
        }
    }

    private static void tokens(List<IndexRow> out, String name, Base v) {
        if (v instanceof CodeableConcept cc) {
            for (Coding c : cc.getCoding()) out.add(IndexRow.token(name, c.getSystem(), c.getCode()));
        } else if (v instanceof Coding c) {
            out.add(IndexRow.token(name, c.getSystem(), c.getCode()));
        } else if (v instanceof Identifier i) {
            if (i.hasValue()) out.add(IndexRow.token(name, i.getSystem(), i.getValue()));
        } else if (v instanceof ContactPoint cp) {
            if (cp.hasValue()) out.add(IndexRow.token(name, null, cp.getValue()));
        } else if (v instanceof Enumeration<?> e) {
            if (e.getValue() != null) out.add(IndexRow.token(name, e.getSystem(), e.getValueAsString()));
        } else if (v instanceof PrimitiveType<?> prim && prim.hasValue()) {
            out.add(IndexRow.token(name, null, prim.getValueAsString()));
        }
    }

    private static void reference(List<IndexRow> out, SearchParams.Param p, Reference r) {
        if (r.hasReference() && !r.getReference().startsWith("#")) {
            IdType id = new IdType(r.getReference());
            if (id.hasResourceType() && id.hasIdPart()
                    && (p.targetType() == null || p.targetType().equals(id.getResourceType()))) {
                out.add(IndexRow.reference(p.name(), id.getResourceType(), id.getIdPart()));
            }
        }
        if (r.hasIdentifier() && r.getIdentifier().hasValue()) {
            out.add(IndexRow.token(p.name() + ":identifier", r.getIdentifier().getSystem(), r.getIdentifier().getValue()));
        }
    }

    private static void strings(List<IndexRow> out, String name, Base v) {
        if (v instanceof HumanName n) {
            if (n.hasText()) out.add(IndexRow.string(name, n.getText()));
            if (n.hasFamily()) out.add(IndexRow.string(name, n.getFamily()));
            n.getGiven().forEach(g -> out.add(IndexRow.string(name, g.getValue())));
            n.getPrefix().forEach(g -> out.add(IndexRow.string(name, g.getValue())));
            n.getSuffix().forEach(g -> out.add(IndexRow.string(name, g.getValue())));
        } else if (v instanceof Address a) {
            a.getLine().forEach(l -> out.add(IndexRow.string(name, l.getValue())));
            for (String s : new String[] {a.getCity(), a.getDistrict(), a.getState(), a.getPostalCode(), a.getCountry(), a.getText()}) {
                if (s != null) out.add(IndexRow.string(name, s));
            }
        } else if (v instanceof PrimitiveType<?> prim && prim.hasValue()) {
            out.add(IndexRow.string(name, prim.getValueAsString()));
        }
    }

    /** The instants a date value covers, as wide as its precision ({@code 2024} is the whole year); null if none. */
    static long[] range(Base v) {
        if (v instanceof BaseDateTimeType d && d.getValue() != null) {
            return new long[] {d.getValue().getTime(), d.getPrecision().add(d.getValue(), 1).getTime()};
        }
        if (v instanceof Period p) {
            long low = p.hasStart() ? range(p.getStartElement())[0] : Long.MIN_VALUE;
            long high = p.hasEnd() ? range(p.getEndElement())[1] : Long.MAX_VALUE;
            return new long[] {low, high};
        }
        return null;
    }
}
