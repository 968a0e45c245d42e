package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.Lesion;

/**
 * A lesion the report describes: the lesion truth (index, host organ, lobe or organ words, centre, diameter, HU), how
 * it looks and, in the liver, its Couinaud segment as this phantom defines them (right lobe: anterior 5/8, posterior
 * 6/7 about the right lobe's centre; left lobe: medial 4 within 35 mm of the lobe boundary, lateral 2/3; superior
 * above the liver's centre). 0 outside the liver.
 */
record Target(Lesion lesion, Appearance appearance, int segment, Shape ball) {
    enum Appearance { HYPODENSE, CYST, ENHANCING, CALCIFIED }

    Target(Lesion lesion, Appearance appearance, int segment) {
        this(lesion, appearance, segment, new Shape.Ball(lesion.centreMm(), lesion.diameterMm() / 2));
    }
}
