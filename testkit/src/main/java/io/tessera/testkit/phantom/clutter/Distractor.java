package io.tessera.testkit.phantom.clutter;

/**
 * One distractor object. Bowel loops have a wall ({@code wallMm} of {@code wallHu}) around a lumen of
 * {@code lumenHu}, with fluid ({@code fluidHu}) below {@code fluidLevelY} (the dependent, posterior side: LPS +y) when
 * it has an air-fluid level. {@code overOrgan}: drawn over organs too (keeping their label), else only outside organs;
 * organ-internal kinds (vessels, cysts, calcifications, fat) are drawn only inside organs.
 */
record Distractor(ClutterKind kind, Shape shape, float lumenHu, float wallHu, double wallMm, double fluidLevelY,
                  float fluidHu, boolean overOrgan) {
    static Distractor solid(ClutterKind kind, Shape shape, float hu) {
        return new Distractor(kind, shape, hu, hu, 0, Double.POSITIVE_INFINITY, hu, false);
    }

    boolean bowel() {
        return kind == ClutterKind.GAS_OVER_ORGAN || kind == ClutterKind.GAS_BESIDE_ORGAN || kind == ClutterKind.FLUID_BOWEL;
    }

    /** HU at a point at {@code depth} mm inside the shape. */
    float hu(double y, double depth) {
        if (depth < wallMm) return wallHu;
        return y > fluidLevelY ? fluidHu : lumenHu;
    }
}
