package io.tessera.dicomio;

import io.tessera.core.Coded;

/**
 * A series that cannot be made into a volume. The message starts with a stable code ({@code TSR-02xx}) and says what
 * is wrong with the series in words a PACS administrator can act on; it never contains patient data.
 */
public class SeriesReadException extends Exception implements Coded {
    private final String code;

    public SeriesReadException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public SeriesReadException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** The stable code, e.g. {@code TSR-0201}. */
    @Override
    public String code() {
        return code;
    }
}
