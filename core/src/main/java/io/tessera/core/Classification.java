package io.tessera.core;

import java.util.List;
import java.util.Objects;

/**
 * A classifier's answer on one image of a series: which model, how its scores became probabilities ({@code sigmoid}:
 * each label on its own; {@code softmax}: one of the labels), and every label with its probability and decision.
 *
 * @param image the classified instance (SOP class and instance UID, file)
 */
public record Classification(ModelIdentity model, String activation, SliceRef image, List<ClassifiedLabel> labels) {
    public Classification {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(image, "image");
        labels = List.copyOf(labels);
    }
}
