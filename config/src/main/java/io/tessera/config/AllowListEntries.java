package io.tessera.config;

import io.tessera.core.AddressRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the networks of {@code dicom.allowedCallingAeTitles} ({@code AE@network/prefix}) when the configuration is
 * loaded, so that {@code tessera config check} reports a bad prefix as the listener's start would (TSR-0112/0117).
 * The entry's form is checked by {@link DicomConfig}'s pattern; host names are resolved only when the listener starts.
 */
final class AllowListEntries {
    private AllowListEntries() {}

    static List<String> problems(List<String> entries) {
        List<String> problems = new ArrayList<>();
        if (entries == null) return problems;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            int at = entry.lastIndexOf('@');
            if (at < 0 || entry.indexOf('/', at) < 0) continue;
            try {
                AddressRange.parse(entry.substring(at + 1).trim());
            } catch (IllegalArgumentException e) {
                problems.add("dicom.allowedCallingAeTitles[" + i + "]: " + e.getMessage() + " in allow-list entry '" + entry + "'");
            }
        }
        return problems;
    }

    /** Checks {@code address} or {@code address/prefix} entries (as {@code hl7.allowedSenders}) as IP literals. */
    static List<String> networkProblems(String path, List<String> entries) {
        List<String> problems = new ArrayList<>();
        if (entries == null) return problems;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            if (entry.isEmpty()) continue;
            try {
                AddressRange.parse(entry.indexOf('/') < 0 ? entry + (entry.indexOf(':') < 0 ? "/32" : "/128") : entry);
            } catch (IllegalArgumentException e) {
                problems.add(path + "[" + i + "]: " + e.getMessage());
            }
        }
        return problems;
    }
}
