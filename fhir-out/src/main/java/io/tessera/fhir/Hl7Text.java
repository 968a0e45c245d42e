package io.tessera.fhir;

/** HL7 v2 text: escapes of the default delimiters ({@code |^~\&}) and fields joined into segments. */
final class Hl7Text {
    private Hl7Text() {}

    /** A value as HL7 v2 data: delimiters escaped, line breaks as {@code \.br\} (text types show them as breaks). */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\E\\");
                case '|' -> out.append("\\F\\");
                case '^' -> out.append("\\S\\");
                case '&' -> out.append("\\T\\");
                case '~' -> out.append("\\R\\");
                case '\r' -> { }
                case '\n' -> out.append("\\.br\\");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Components, each escaped, joined by {@code ^}, trailing empty ones dropped. */
    static String comp(String... parts) {
        int n = parts.length;
        while (n > 0 && (parts[n - 1] == null || parts[n - 1].isEmpty())) n--;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) out.append('^');
            out.append(esc(parts[i]));
        }
        return out.toString();
    }

    /** A segment from fields already escaped; trailing empty fields dropped. */
    static String segment(String name, String... fields) {
        int n = fields.length;
        while (n > 0 && (fields[n - 1] == null || fields[n - 1].isEmpty())) n--;
        StringBuilder out = new StringBuilder(name);
        for (int i = 0; i < n; i++) out.append('|').append(fields[i] == null ? "" : fields[i]);
        return out.toString();
    }
}
