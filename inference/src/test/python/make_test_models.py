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
