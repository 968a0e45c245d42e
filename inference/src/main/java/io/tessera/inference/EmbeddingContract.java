package io.tessera.inference;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles of a {@code task: embedding} package (CLIP-style image-text models): an image encoder that makes one
 * vector of a prepared frame, and a text encoder that makes one vector (or one per token, pooled as the manifest
 * says) of a tokenized phrase, in the same space. The text encoder's attention mask and token type ids are fed only
 * where the graph takes them (BERT-style encoders take all three; many CLIP exports take the ids alone).
 */
final class EmbeddingContract {
    static final String IMAGE_ENCODER = "image-encoder";
    static final String TEXT_ENCODER = "text-encoder";
    static final List<String> ROLES = List.of(IMAGE_ENCODER, TEXT_ENCODER);
    static final List<String> POOLING = List.of("none", "mean", "cls");

    static final GraphRoles ROLES_AND_SLOTS = new GraphRoles(ModelManifest.EMBEDDING, ROLES,
            Map.of(IMAGE_ENCODER, List.of("image"), TEXT_ENCODER, List.of("input_ids", "attention_mask", "token_type_ids")),
            Map.of(IMAGE_ENCODER, List.of("embedding"), TEXT_ENCODER, List.of("embedding")),
            Set.of("attention_mask", "token_type_ids"));

    private EmbeddingContract() {}
}
