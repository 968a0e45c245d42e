package io.tessera.testkit.phantom;

import java.util.List;

/** Label values of the phantom truth (and of the ct-phantom-organs model's output channels). */
public final class PhantomLabels {
    public static final int BACKGROUND = 0;
    public static final int BODY = 1;
    public static final int LUNG_LEFT = 2;
    public static final int LUNG_RIGHT = 3;
    public static final int BONE = 4;
    public static final int LIVER = 5;
    public static final int SPLEEN = 6;
    public static final int KIDNEY_LEFT = 7;
    public static final int KIDNEY_RIGHT = 8;

    /** Names indexed by value; index 0 is background. */
    public static final List<String> NAMES = List.of(
            "background", "body", "lung_left", "lung_right", "bone", "liver", "spleen", "kidney_left", "kidney_right");

    private PhantomLabels() {
    }

    public static String name(int value) {
        return NAMES.get(value);
    }

    public static int value(String name) {
        int v = NAMES.indexOf(name);
        if (v < 0) throw new IllegalArgumentException("TSR-0906: unknown phantom label " + name);
        return v;
    }
}
