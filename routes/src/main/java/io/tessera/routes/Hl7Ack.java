package io.tessera.routes;

/**
 * What an HL7 v2 ACK says: MSA-1 ({@code AA}/{@code CA} accepted, {@code AE}/{@code AR}/{@code CE}/{@code CR} not),
 * MSA-2 the control ID it answers, MSA-3 or ERR-8 the reason, ERR-3 the HL7 table 0357 code. Read by splitting
 * segments, so an ACK of any v2 version (or one a library would not parse) is still understood.
 */
record Hl7Ack(String code, String controlId, String text, String errorCode) {
    boolean accepted() {
        return code.equals("AA") || code.equals("CA");
    }

    static Hl7Ack parse(String answer) {
        String code = "";
        String control = "";
        String text = "";
        String error = "";
        String[] segments = answer.split("[\r\n]+");
        char field = '|';
        char component = '^';
        for (String seg : segments) {
            if (seg.startsWith("MSH") && seg.length() > 5) {
                field = seg.charAt(3);
                component = seg.charAt(4);
            }
        }
        String f = java.util.regex.Pattern.quote(String.valueOf(field));
        String c = java.util.regex.Pattern.quote(String.valueOf(component));
        for (String seg : segments) {
            String[] p = seg.split(f, -1);
            if (p[0].equals("MSA")) {
                code = at(p, 1);
                control = at(p, 2);
                if (!at(p, 3).isEmpty()) text = at(p, 3);
            } else if (p[0].equals("ERR")) {
                error = at(p, 3).split(c, -1)[0];
                if (text.isEmpty()) text = at(p, 8);
            }
        }
        return new Hl7Ack(code, control, clip(text), error);
    }

    private static String at(String[] p, int i) {
        return i < p.length ? p[i] : "";
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200);
    }
}
