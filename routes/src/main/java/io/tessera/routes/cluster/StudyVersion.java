package io.tessera.routes.cluster;

/** One version of a study, as the queue carries it ({@code uid@version}) and the sweep finds it. */
public record StudyVersion(String studyUid, int version) {
    /** The queue message's body. */
    public String body() {
        return studyUid + "@" + version;
    }

    /** Reads a queue message's body; a bare study UID (version unknown) reads as version -1. */
    public static StudyVersion parse(String body) {
        int at = body.lastIndexOf('@');
        if (at < 0) return new StudyVersion(body.trim(), -1);
        return new StudyVersion(body.substring(0, at).trim(), Integer.parseInt(body.substring(at + 1).trim()));
    }
}
