package io.tessera.testkit.phantom;

/** Tissue classes of the phantom: the attenuation of each (HU, before noise) and the organ label it belongs to. */
enum Tissue {
    AIR(-1000f, PhantomLabels.BACKGROUND),
    SUBCUTANEOUS_FAT(-100f, PhantomLabels.BODY),
    VISCERAL_FAT(-90f, PhantomLabels.BODY),
    MUSCLE(50f, PhantomLabels.BODY),
    MEDIASTINUM(40f, PhantomLabels.BODY),
    ABDOMEN(20f, PhantomLabels.BODY),
    HEART(110f, PhantomLabels.BODY),
    AORTA(160f, PhantomLabels.BODY),
    VENA_CAVA(130f, PhantomLabels.BODY),
    CSF(15f, PhantomLabels.BODY),
    DISC(80f, PhantomLabels.BODY),
    LUNG_LEFT(-850f, PhantomLabels.LUNG_LEFT),
    LUNG_RIGHT(-850f, PhantomLabels.LUNG_RIGHT),
    CORTICAL_BONE(700f, PhantomLabels.BONE),
    CANCELLOUS_BONE(300f, PhantomLabels.BONE),
    LIVER(105f, PhantomLabels.LIVER),       // portal venous phase, consistent with the enhanced kidneys
    SPLEEN(115f, PhantomLabels.SPLEEN),
    KIDNEY_LEFT(150f, PhantomLabels.KIDNEY_LEFT),
    KIDNEY_RIGHT(150f, PhantomLabels.KIDNEY_RIGHT);

    static final Tissue[] ALL = values();

    final float hu;
    final int label;

    Tissue(float hu, int label) {
        this.hu = hu;
        this.label = label;
    }
}
