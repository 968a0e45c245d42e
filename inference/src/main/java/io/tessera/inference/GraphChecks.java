package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Compares a manifest with the ONNX graph's own input/output metadata; dynamic (-1) dims are accepted. */
final class GraphChecks {

    static void check(ModelManifest m, OrtSession session, List<String> problems) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        long[] in = shape(inputs, m.input().name(), "input.name", problems);
        long[] out = shape(outputs, m.output().name(), "output.name", problems);
        if (in != null) {
            if (in.length != 5) {
                problems.add("input.name: graph input '" + m.input().name() + "' has shape " + Arrays.toString(in) + ", expected [N, 1, Z, Y, X]");
            } else {
                int channels = m.input().channelCount();
                if (in[1] > 0 && in[1] != channels) {
                    problems.add("input.name: graph input has " + in[1] + " channels, expected " + channels
                            + (channels == 1 ? "" : " (input.channels)"));
                }
                if (in[0] > 0 && in[0] != m.input().batch()) {
                    problems.add("input.batch: " + m.input().batch() + " but the graph's batch dimension is fixed at " + in[0]);
                }
                int[] patch = m.input().patchZyx();
                for (int a = 0; a < 3; a++) {
                    if (in[2 + a] > 0 && in[2 + a] != patch[a]) {
                        problems.add("input.patch: " + m.input().patch() + " not compatible with the graph's fixed input dims "
                                + Arrays.toString(in));
                        break;
                    }
                }
            }
        }
        if (m.grounding()) {
            checkGrounding(m, inputs, out, problems);
            return;
        }
        if (out != null) {
            if (out.length != 5) {
                problems.add("output.name: graph output '" + m.output().name() + "' has shape " + Arrays.toString(out) + ", expected [N, C, Z, Y, X]");
            } else if (out[1] > 0 && out[1] != m.output().labels().size() + 1) {
                problems.add("output.labels: " + m.output().labels().size() + " labels but the graph's output has " + out[1]
                        + " channels (expected labels + 1 for background)");
            }
        }
    }

    /** Grounding: a second input of int64 token ids [N, T] (T fixed at maxTokens or dynamic), one output channel. */
    private static void checkGrounding(ModelManifest m, Map<String, NodeInfo> inputs, long[] out, List<String> problems) {
        ModelManifest.Text text = m.text();
        NodeInfo node = inputs.get(text.name());
        if (node == null) {
            problems.add("text.name: '" + text.name() + "' is not in the graph (graph has " + inputs.keySet() + ")");
        } else if (!(node.getInfo() instanceof TensorInfo t)) {
            problems.add("text.name: '" + text.name() + "' is not a tensor");
        } else {
            if (t.type != ai.onnxruntime.OnnxJavaType.INT64) {
                problems.add("text.name: '" + text.name() + "' is " + t.type + ", expected int64 token ids");
            }
            long[] s = t.getShape();
            if (s.length != 2) {
                problems.add("text.name: graph input '" + text.name() + "' has shape " + Arrays.toString(s) + ", expected [N, T]");
            } else if (s[1] > 0 && s[1] != text.maxTokens()) {
                problems.add("text.maxTokens: " + text.maxTokens() + " but the graph's token dimension is fixed at " + s[1]);
            }
        }
        if (inputs.size() != 2) {
            problems.add("task: grounding expects exactly two graph inputs (image, tokens), graph has " + inputs.keySet());
        }
        if (out != null) {
            if (out.length != 5) {
                problems.add("output.name: graph output '" + m.output().name() + "' has shape " + Arrays.toString(out)
                        + ", expected [N, 1, Z, Y, X]");
            } else if (out[1] > 0 && out[1] != 1) {
                problems.add("output.name: grounding output has " + out[1] + " channels, expected 1 (the phrase's region)");
            }
        }
    }

    private static long[] shape(Map<String, NodeInfo> nodes, String name, String path, List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add(path + ": '" + name + "' is not in the graph (graph has " + nodes.keySet() + ")");
            return null;
        }
        if (!(node.getInfo() instanceof TensorInfo t)) {
            problems.add(path + ": '" + name + "' is not a tensor");
            return null;
        }
        if (t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            problems.add(path + ": '" + name + "' is " + t.type + ", expected float32");
        }
        return t.getShape();
    }

    private GraphChecks() {}
}
