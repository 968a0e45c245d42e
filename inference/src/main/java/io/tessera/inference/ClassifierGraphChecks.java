package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compares a classifier's manifest with its graph: the named input is a float32 [N, channels, side, side] tensor
 * (fixed dims must equal {@code channels} and {@code resizeLongestSide}), the named output a float32 [N, labels]
 * one with a column per label; the graph has exactly one input. Dynamic (-1) dims are accepted.
 */
final class ClassifierGraphChecks {
    private ClassifierGraphChecks() {}

    static void check(ModelManifest m, OrtSession session, List<String> problems) throws OrtException {
        ModelManifest.Classifier c = m.classifier();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        long[] in = floatTensor(inputs, c.inputName(), "input.name", "inputs", problems);
        if (in != null) {
            int side = m.frame().resizeLongestSide(), channels = m.frame().channels();
            if (in.length != 4) {
                problems.add("input.name: graph input '" + c.inputName() + "' has shape " + Arrays.toString(in)
                        + ", expected [N, channels, side, side]");
            } else {
                if (in[1] > 0 && in[1] != channels) {
                    problems.add("input.channels: " + channels + " but the graph input takes " + in[1] + " channels");
                }
                if ((in[2] > 0 && in[2] != side) || (in[3] > 0 && in[3] != side)) {
                    problems.add("input.resizeLongestSide: " + side + " but the graph input is fixed at " + in[2] + " x " + in[3]);
                }
            }
        }
        if (inputs.size() != 1) {
            problems.add("input.name: a classifier graph takes one input, this one takes " + inputs.keySet());
        }
        long[] out = floatTensor(outputs, c.outputName(), "output.name", "outputs", problems);
        if (out != null) {
            if (out.length != 2) {
                problems.add("output.name: graph output '" + c.outputName() + "' has shape " + Arrays.toString(out)
                        + ", expected [N, labels]");
            } else if (out[1] > 0 && out[1] != c.labels().size()) {
                problems.add("output.labels: " + c.labels().size() + " labels but the graph's output has " + out[1] + " columns");
            }
        }
    }

    private static long[] floatTensor(Map<String, NodeInfo> nodes, String name, String path, String what, List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add(path + ": '" + name + "' is not in the graph (its " + what + ": " + nodes.keySet() + ")");
            return null;
        }
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            problems.add(path + ": '" + name + "' is not a float32 tensor");
            return null;
        }
        return t.getShape();
    }
}
