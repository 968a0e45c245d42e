package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares an embedding manifest with its graphs and tokenizer: the image encoder takes float32 [N, channels, side,
 * side] and gives [N, D]; the text encoder takes int64 (or int32) [N, tokens] ids (and masks where mapped) and gives
 * [N, D] (pooling none) or [N, tokens, D]; no graph input is left unfed; the tokenizer file is inside the package and
 * readable. Then one probe: a blank image and one phrase through both encoders, whose vectors must be of one length
 * (dynamic dimensions hide that from the declared shapes).
 */
final class EmbeddingGraphChecks {

    static void check(ModelManifest m, Map<String, OrtSession> sessions, Path root, List<String> problems) throws OrtException {
        OrtSession img = sessions.get(EmbeddingContract.IMAGE_ENCODER);
        OrtSession txt = sessions.get(EmbeddingContract.TEXT_ENCODER);
        ModelManifest.Graph ig = m.graphs().get(EmbeddingContract.IMAGE_ENCODER);
        ModelManifest.Graph tg = m.graphs().get(EmbeddingContract.TEXT_ENCODER);
        String imgPath = "graphs." + EmbeddingContract.IMAGE_ENCODER;
        String txtPath = "graphs." + EmbeddingContract.TEXT_ENCODER;
        long[] image = tensor(img.getInputInfo(), ig.inputs().get("image"), imgPath + ".inputs.image", Set.of(OnnxJavaType.FLOAT), 4, problems);
        if (image != null) {
            int side = m.frame().resizeLongestSide();
            if (image[1] > 0 && image[1] != m.frame().channels()) {
                problems.add("input.channels: " + m.frame().channels() + " but the image encoder's input has " + image[1]
                        + " channels " + Arrays.toString(image));
            }
            if ((image[2] > 0 && image[2] != side) || (image[3] > 0 && image[3] != side)) {
                problems.add("input.resizeLongestSide: " + side + " but the image encoder's input is fixed at " + Arrays.toString(image));
            }
        }
        tensor(img.getOutputInfo(), ig.outputs().get("embedding"), imgPath + ".outputs.embedding", Set.of(OnnxJavaType.FLOAT), 2, problems);
        for (Map.Entry<String, String> slot : tg.inputs().entrySet()) {
            tensor(txt.getInputInfo(), slot.getValue(), txtPath + ".inputs." + slot.getKey(),
                    Set.of(OnnxJavaType.INT64, OnnxJavaType.INT32), 2, problems);
        }
        int rank = "none".equals(m.embedding().pooling()) ? 2 : 3;
        tensor(txt.getOutputInfo(), tg.outputs().get("embedding"), txtPath + ".outputs.embedding", Set.of(OnnxJavaType.FLOAT), rank, problems);
        unfed(img, ig, imgPath, problems);
        unfed(txt, tg, txtPath, problems);
        Path tok = root.resolve(m.embedding().tokenizer()).normalize();
        HfTokenizer tokenizer = null;
        if (!tok.startsWith(root)) problems.add("text.tokenizer: " + m.embedding().tokenizer() + " is outside the package");
        else if (!Files.isRegularFile(tok)) problems.add("text.tokenizer: " + m.embedding().tokenizer() + " missing");
        else {
            try {
                tokenizer = HfTokenizer.open(tok, m.embedding().maxTokens());
            } catch (IOException e) {
                problems.add("text.tokenizer: " + m.embedding().tokenizer() + ": " + e.getMessage());
            }
        }
        if (tokenizer == null || !problems.isEmpty()) {
            if (tokenizer != null) tokenizer.close();
            return;
        }
        try (HfTokenizer t = tokenizer) {
            probe(m, img, ig, new TextEncoder(t, txt, tg.inputs(), tg.outputs().get("embedding"), m.embedding().pooling()), problems);
        }
    }

    /** Runs a blank image and a phrase through both encoders: both must run and give vectors of one length. */
    private static void probe(ModelManifest m, OrtSession img, ModelManifest.Graph ig, TextEncoder text, List<String> problems) {
        int side = m.frame().resizeLongestSide();
        int channels = m.frame().channels();
        int imageDims;
        try (OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                FloatBuffer.wrap(new float[channels * side * side]), new long[] {1, channels, side, side});
             OrtSession.Result r = img.run(Map.of(ig.inputs().get("image"), in))) {
            long[] shape = ((OnnxTensor) r.get(ig.outputs().get("embedding")).orElseThrow()).getInfo().getShape();
            if (shape.length != 2 || shape[0] != 1) {
                problems.add("graphs.image-encoder: a [1, " + channels + ", " + side + ", " + side + "] image gave "
                        + Arrays.toString(shape) + ", expected [1, D]");
                return;
            }
            imageDims = (int) shape[1];
        } catch (OrtException | RuntimeException e) {
            problems.add("graphs.image-encoder: does not run on a [1, " + channels + ", " + side + ", " + side + "] image: " + e.getMessage());
            return;
        }
        try {
            int textDims = text.embed("no acute abnormality").length;
            if (textDims != imageDims) {
                problems.add("graphs: the image encoder makes " + imageDims + "-dimensional vectors, the text encoder "
                        + textDims + "-dimensional ones: they must share one space");
            }
        } catch (InferenceException | RuntimeException e) {
            problems.add("graphs.text-encoder: does not run on a tokenized phrase: " + e.getMessage());
        }
    }

    private static void unfed(OrtSession s, ModelManifest.Graph g, String path, List<String> problems) throws OrtException {
        Set<String> unfed = new HashSet<>(s.getInputInfo().keySet());
        unfed.removeAll(g.inputs().values());
        if (!unfed.isEmpty()) problems.add(path + ".inputs: the graph also takes " + unfed + ", which no slot feeds");
    }

    private static long[] tensor(Map<String, NodeInfo> nodes, String name, String path, Set<OnnxJavaType> types, int rank,
                                 List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add(path + ": '" + name + "' is not in the graph (it has " + nodes.keySet() + ")");
            return null;
        }
        if (!(node.getInfo() instanceof TensorInfo t)) {
            problems.add(path + ": '" + name + "' is not a tensor");
            return null;
        }
        if (!types.contains(t.type)) problems.add(path + ": '" + name + "' is " + t.type + ", expected " + types);
        long[] shape = t.getShape();
        if (shape.length != rank) {
            problems.add(path + ": '" + name + "' has shape " + Arrays.toString(shape) + ", expected rank " + rank);
            return null;
        }
        return shape;
    }

    private EmbeddingGraphChecks() {}
}
