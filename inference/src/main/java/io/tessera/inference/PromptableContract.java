package io.tessera.inference;

import java.util.List;
import java.util.Map;

/**
 * The roles of a {@code task: promptable-segmentation} package and the tensor slots each role's graph must offer.
 * The slot names are SAM's own (its ONNX export names them so), so a SAM, MedSAM or SAM-Med2D export usually maps
 * each slot to a tensor of the same name; a manifest may map them to other names.
 */
final class PromptableContract {
    static final String ENCODER = "encoder";
    static final String DECODER = "decoder";

    /** Role → its input slots, in the order they are documented. */
    static final Map<String, List<String>> INPUTS = Map.of(
            ENCODER, List.of("image"),
            DECODER, List.of("image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input",
                    "orig_im_size"));

    /** Role → its output slots. */
    static final Map<String, List<String>> OUTPUTS = Map.of(
            ENCODER, List.of("image_embeddings"),
            DECODER, List.of("masks", "iou_predictions"));

    static final List<String> ROLES = List.of(ENCODER, DECODER);

    static final GraphRoles ROLES_AND_SLOTS = new GraphRoles(ModelManifest.PROMPTABLE, ROLES, INPUTS, OUTPUTS, java.util.Set.of());

    private PromptableContract() {}
}
