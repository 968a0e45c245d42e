package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a promptable manifest with its encoder and decoder graphs: every mapped tensor exists, is float32 and
 * has SAM's rank (and, where the graph fixes a dimension, the manifest's size); the embedding the encoder makes fits
 * the decoder; and the decoder has no input the manifest leaves unfed. Dynamic (-1) dims are accepted.
 */
final class PromptableGraphChecks {
    /** Slot → the rank SAM's export gives it. */
    private static final Map<String, Integer> RANK = Map.of("image", 4, "image_embeddings", 4, "point_coords", 3,
            "point_labels", 2, "mask_input", 4, "has_mask_input", 1, "orig_im_size", 1, "masks", 4, "iou_predictions", 2);

    static void check(ModelManifest m, Map<String, OrtSession> sessions, List<String> problems) throws OrtException {
        OrtSession enc = sessions.get(PromptableContract.ENCODER);
        OrtSession dec = sessions.get(PromptableContract.DECODER);
        ModelManifest.Graph e = m.graphs().get(PromptableContract.ENCODER);
        ModelManifest.Graph d = m.graphs().get(PromptableContract.DECODER);
        long[] image = tensor(enc.getInputInfo(), e.inputs(), "image", "encoder", "inputs", problems);
        long[] made = tensor(enc.getOutputInfo(), e.outputs(), "image_embeddings", "encoder", "outputs", problems);
        if (image != null) {
            int side = m.frame().resizeLongestSide();
            if (image[1] > 0 && image[1] != m.frame().channels()) {
                problems.add("input.channels: " + m.frame().channels() + " but the encoder's input '" + e.inputs().get("image")
                        + "' has " + image[1] + " channels " + Arrays.toString(image));
            }
            if ((image[2] > 0 && image[2] != side) || (image[3] > 0 && image[3] != side)) {
                problems.add("input.resizeLongestSide: " + side + " but the encoder's input '" + e.inputs().get("image")
                        + "' is fixed at " + Arrays.toString(image));
            }
        }
        for (String slot : PromptableContract.INPUTS.get(PromptableContract.DECODER)) {
            long[] s = tensor(dec.getInputInfo(), d.inputs(), slot, "decoder", "inputs", problems);
            if (slot.equals("image_embeddings") && s != null && made != null && !compatible(made, s)) {
                problems.add("graphs.decoder.inputs.image_embeddings: the decoder takes " + Arrays.toString(s)
                        + " but the encoder makes " + Arrays.toString(made));
            }
            if (slot.equals("point_coords") && s != null && s[2] > 0 && s[2] != 2) {
                problems.add("graphs.decoder.inputs.point_coords: expected [1, N, 2] (x, y), graph has " + Arrays.toString(s));
            }
            if (slot.equals("orig_im_size") && s != null && s[0] > 0 && s[0] != 2) {
                problems.add("graphs.decoder.inputs.orig_im_size: expected [2] (height, width), graph has " + Arrays.toString(s));
            }
        }
        for (String slot : PromptableContract.OUTPUTS.get(PromptableContract.DECODER)) {
            tensor(dec.getOutputInfo(), d.outputs(), slot, "decoder", "outputs", problems);
        }
        Set<String> unfed = new HashSet<>(dec.getInputInfo().keySet());
        unfed.removeAll(d.inputs().values());
        if (!unfed.isEmpty()) problems.add("graphs.decoder.inputs: the graph also takes " + unfed + ", which no slot feeds");
        if (enc.getInputInfo().size() != 1) {
            problems.add("graphs.encoder.inputs: the encoder must take one input (the image), graph has " + enc.getInputInfo().keySet());
        }
    }

    /** The shape of the tensor a slot is mapped to, or null (with a problem) when it is missing, not float or of the wrong rank. */
    private static long[] tensor(Map<String, NodeInfo> nodes, Map<String, String> slots, String slot, String role, String side,
                                 List<String> problems) {
        String path = "graphs." + role + "." + side + "." + slot;
        String name = slots.get(slot);
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add(path + ": '" + name + "' is not in the " + role + " graph (its " + side + ": " + nodes.keySet() + ")");
            return null;
        }
        if (!(node.getInfo() instanceof TensorInfo t)) {
            problems.add(path + ": '" + name + "' is not a tensor");
            return null;
        }
        if (t.type != OnnxJavaType.FLOAT) problems.add(path + ": '" + name + "' is " + t.type + ", expected float32");
        long[] shape = t.getShape();
        int rank = RANK.get(slot);
        if (shape.length != rank) {
            problems.add(path + ": '" + name + "' has shape " + Arrays.toString(shape) + ", expected rank " + rank);
            return null;
        }
        return shape;
    }

    private static boolean compatible(long[] a, long[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] > 0 && b[i] > 0 && a[i] != b[i]) return false;
        return true;
    }

    private PromptableGraphChecks() {}
}
