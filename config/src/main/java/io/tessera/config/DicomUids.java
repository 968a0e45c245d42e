package io.tessera.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Resolves {@code dicom.acceptedSopClasses} and {@code dicom.acceptedTransferSyntaxes}: each entry is a UID or a
 * DICOM keyword (PS3.6 Table A-1: {@code CTImageStorage}, {@code JPEGLSLossless}); {@value #ALL_STORAGE} stands for
 * every storage SOP class the listener knows. The keyword tables are resources generated from the standard
 * ({@code sop-classes.properties}: storage SOP classes and Verification; {@code transfer-syntaxes.properties}), so
 * what is accepted is written in configuration, not in code.
 */
public final class DicomUids {
    /** Every storage SOP class (the listener's own list), not a DICOM keyword. */
    public static final String ALL_STORAGE = "AllStorage";
    private static final String UID = "(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*";
    private static final Map<String, String> SOP_CLASSES = table("sop-classes.properties");
    private static final Map<String, String> TRANSFER_SYNTAXES = table("transfer-syntaxes.properties");

    private DicomUids() {}

    /** What the two lists resolve to: UIDs in the order given, duplicates dropped. */
    public record Resolved(boolean allStorage, List<String> sopClassUids, List<String> transferSyntaxUids) {}

    /** Every bad entry of the two lists, as {@code path: TSR-01xx: message}; empty when all resolve. */
    public static List<String> problems(DicomConfig dicom) {
        List<String> problems = new ArrayList<>();
        resolve(dicom, problems);
        return problems;
    }

    /** @throws ConfigException listing every entry that is neither a known keyword nor a well-formed UID */
    public static Resolved resolve(DicomConfig dicom) throws ConfigException {
        List<String> problems = new ArrayList<>();
        Resolved r = resolve(dicom, problems);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return r;
    }

    private static Resolved resolve(DicomConfig dicom, List<String> problems) {
        boolean allStorage = false;
        LinkedHashSet<String> sop = new LinkedHashSet<>();
        List<String> classes = dicom.acceptedSopClasses() == null ? List.of() : dicom.acceptedSopClasses();
        for (int i = 0; i < classes.size(); i++) {
            String entry = classes.get(i) == null ? "" : classes.get(i).trim();
            if (entry.equals(ALL_STORAGE)) {
                allStorage = true;
                continue;
            }
            String uid = uid(entry, SOP_CLASSES, "dicom.acceptedSopClasses[" + i + "]", "TSR-0113", "SOP class",
                    "storage SOP classes and Verification, e.g. CTImageStorage, or " + ALL_STORAGE, problems);
            if (uid != null) sop.add(uid);
        }
        LinkedHashSet<String> ts = new LinkedHashSet<>();
        List<String> syntaxes = dicom.acceptedTransferSyntaxes() == null ? List.of() : dicom.acceptedTransferSyntaxes();
        for (int i = 0; i < syntaxes.size(); i++) {
            String entry = syntaxes.get(i) == null ? "" : syntaxes.get(i).trim();
            String uid = uid(entry, TRANSFER_SYNTAXES, "dicom.acceptedTransferSyntaxes[" + i + "]", "TSR-0115",
                    "transfer syntax", "e.g. ExplicitVRLittleEndian, JPEGLSLossless", problems);
            if (uid != null) ts.add(uid);
        }
        if (dicom.acceptedSopClasses() != null && !allStorage && sop.isEmpty() && problems.isEmpty()) {
            problems.add("dicom.acceptedSopClasses: TSR-0116: no SOP class is accepted (use [" + ALL_STORAGE + ", Verification])");
        }
        if (dicom.acceptedTransferSyntaxes() != null && ts.isEmpty() && problems.isEmpty()) {
            problems.add("dicom.acceptedTransferSyntaxes: TSR-0116: no transfer syntax is accepted");
        }
        return new Resolved(allStorage, List.copyOf(sop), List.copyOf(ts));
    }

    private static String uid(String entry, Map<String, String> table, String path, String unknownCode, String what,
                              String examples, List<String> problems) {
        if (!entry.isEmpty() && Character.isDigit(entry.charAt(0))) {
            if (entry.length() <= 64 && entry.matches(UID)) return entry;
            problems.add(path + ": TSR-0114: '" + entry + "' is not a well-formed UID (digits and dots, no leading zeros,"
                    + " at most 64 characters)");
            return null;
        }
        String uid = table.get(entry);
        if (uid != null) return uid;
        String hint = table.keySet().stream().filter(k -> k.equalsIgnoreCase(entry.replace(" ", ""))).findFirst()
                .map(k -> "; did you mean " + k + "?").orElse("");
        problems.add(path + ": " + unknownCode + ": unknown " + what + " keyword '" + entry + "' (a UID or a DICOM keyword: "
                + examples + hint + ")");
        return null;
    }

    private static Map<String, String> table(String resource) {
        Properties p = new Properties();
        try (InputStream in = DicomUids.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new TreeMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return Map.copyOf(m);
    }
}
