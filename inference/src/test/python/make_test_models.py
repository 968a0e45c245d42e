#!/usr/bin/python3
"""Writes the tiny ONNX test models used by the inference tests (run with Debian's /usr/bin/python3).

The model is one 1x1x1 Conv3d with fixed weights, so its answer is known exactly: with x the normalised
intensity, logits are [0, K*(x-0.5), K*(0.2-x)], so argmax gives label 1 where x > 0.5, label 2 where
x < 0.2 and background in between.

  threshold-dynamic/  dynamic batch and spatial axes, manifest patch 16^3
  threshold-fixed32/  fixed [1,1,32,32,32] input, manifest patch 32^3
  broken-strided/     same weights with stride 2: valid metadata, but the output is half the patch size
"""
import os
import torch

torch.set_num_threads(2)
K = 20.0
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "models")


def threshold_model(stride=1):
    conv = torch.nn.Conv3d(1, 3, kernel_size=1, stride=stride, bias=True)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([0.0, K, -K]).view(3, 1, 1, 1, 1))
        conv.bias.copy_(torch.tensor([0.0, -0.5 * K, 0.2 * K]))
    return conv.eval()


def export(folder, shape, dynamic, stride=1):
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    axes = {"image": {0: "n", 2: "z", 3: "y", 4: "x"}, "logits": {0: "n", 2: "z", 3: "y", 4: "x"}} if dynamic else None
    torch.onnx.export(threshold_model(stride), torch.zeros(shape), os.path.join(OUT, folder, "model.onnx"),
                      input_names=["image"], output_names=["logits"], dynamic_axes=axes, opset_version=13)


export("threshold-dynamic", (1, 1, 16, 16, 16), True)
export("threshold-fixed32", (1, 1, 32, 32, 32), False)
export("broken-strided", (1, 1, 16, 16, 16), True, stride=2)
print("written under", os.path.normpath(OUT))


# --- failure models, written with onnx.helper (no torch needed) --------------------------------------------------
# nan-output/       the threshold conv, then multiplied by NaN: every output is NaN (TSR-0323)
# inf-output/       the threshold conv plus +inf: every output is infinite (TSR-0327)
# slow/             fixed [1,1,32,32,32]; a side chain of 120 MatMul(4096x512 . 512x512) + Tanh nodes that depends on the
#                   input (so it is not constant-folded), added as 0 * mean to the threshold logits: correct output, but
#                   a run takes seconds, so a short inference.jobTimeout stops it mid-run (TSR-0326)
import onnx
from onnx import TensorProto, helper


def conv_nodes():
    w = helper.make_tensor("w", TensorProto.FLOAT, [3, 1, 1, 1, 1], [0.0, K, -K])
    b = helper.make_tensor("b", TensorProto.FLOAT, [3], [0.0, -0.5 * K, 0.2 * K])
    return [helper.make_node("Conv", ["image", "w", "b"], ["conv"])], [w, b]


def save(folder, nodes, inits, in_shape, out_shape):
    graph = helper.make_graph(nodes, folder, [helper.make_tensor_value_info("image", TensorProto.FLOAT, in_shape)],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tessera-tests")
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    onnx.save(model, os.path.join(OUT, folder, "model.onnx"))


def poisoned(folder, op, value):
    nodes, inits = conv_nodes()
    inits.append(helper.make_tensor("poison", TensorProto.FLOAT, [], [value]))
    nodes.append(helper.make_node(op, ["conv", "poison"], ["logits"]))
    dyn = ["n", 1, "z", "y", "x"]
    save(folder, nodes, inits, dyn, ["n", 3, "z", "y", "x"])


def slow(folder, links=120):
    nodes, inits = conv_nodes()
    inits += [helper.make_tensor("rows", TensorProto.INT64, [2], [64, 512]),
              helper.make_tensor("wshape", TensorProto.INT64, [2], [512, 512]),
              helper.make_tensor("reps", TensorProto.INT64, [2], [64, 1]),
              helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])]
    nodes.append(helper.make_node("ConstantOfShape", ["wshape"], ["m"],
                                  value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.002])))
    nodes.append(helper.make_node("Reshape", ["image", "rows"], ["r0"]))
    nodes.append(helper.make_node("Tile", ["r0", "reps"], ["h0"]))  # 4096 x 512: ~1 G multiply-adds per link
    for i in range(links):
        nodes.append(helper.make_node("MatMul", [f"h{i}", "m"], [f"p{i}"]))
        nodes.append(helper.make_node("Tanh", [f"p{i}"], [f"h{i + 1}"]))
    nodes.append(helper.make_node("ReduceMean", [f"h{links}"], ["mean"], keepdims=0))
    nodes.append(helper.make_node("Mul", ["mean", "zero"], ["nothing"]))
    nodes.append(helper.make_node("Add", ["conv", "nothing"], ["logits"]))
    save(folder, nodes, inits, [1, 1, 32, 32, 32], [1, 3, 32, 32, 32])


poisoned("nan-output", "Mul", float("nan"))
poisoned("inf-output", "Add", float("inf"))
slow("slow")
print("failure models written under", os.path.normpath(OUT))
