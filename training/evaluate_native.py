#!/usr/bin/python3
"""Held-out Dice of the exported ct-phantom-organs model the way Tessera runs it, at the phantom's native resolution.

Mimics the Java pipeline: native CT (e.g. PhantomSpec.small: 3 x 3 x 5 mm) -> trilinear resample to 4 mm ->
window [-1000, 1000] -> [0, 1] -> 64^3 sliding window, overlap 0.5, Gaussian blending of softmax -> probabilities
resampled back to the native grid -> argmax -> largest connected component for organs -> Dice against native truth.

The weights are read from model.onnx (batch norm already folded) into the PyTorch module, so what is measured is the
exported file. Usage: /usr/bin/python3 training/evaluate_native.py [training/data/native] [models/ct-phantom-organs/model.onnx]
"""
import json
import sys
from collections import deque

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, "training")
from train_ct_phantom_organs import LABELS, NCLASS, PATCH, UNet3D, load_cases  # noqa: E402

LARGEST = {"lung_left", "lung_right", "liver", "spleen", "kidney_left", "kidney_right"}


def model_from_onnx(path):
    """Copy the folded Conv weights/biases of the ONNX graph into UNet3D; BatchNorm becomes '+ bias'."""
    m = onnx.load(path)
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    nodes = [n for n in m.graph.node if n.op_type in ("Conv", "ConvTranspose")]
    model = UNet3D()
    mods = [mod for mod in model.modules() if isinstance(mod, (nn.Conv3d, nn.ConvTranspose3d))]
    bns = {}
    for seq in model.modules():
        if isinstance(seq, nn.Sequential) and len(seq) == 3 and isinstance(seq[1], nn.BatchNorm3d):
            bns[id(seq[0])] = seq[1]
    assert len(nodes) == len(mods), (len(nodes), len(mods))
    with torch.no_grad():
        for node, mod in zip(nodes, mods):
            w = init[node.input[1]]
            assert tuple(w.shape) == tuple(mod.weight.shape), (node.name, w.shape, mod.weight.shape)
            mod.weight.copy_(torch.from_numpy(w))
            b = torch.from_numpy(init[node.input[2]]) if len(node.input) > 2 else torch.zeros(w.shape[0 if isinstance(mod, nn.Conv3d) else 1])
            if mod.bias is not None:
                mod.bias.copy_(b)
            else:
                bn = bns[id(mod)]
                bn.weight.fill_(1.0)
                bn.bias.copy_(b)
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
    return model.eval()


def resample(vol, src_spacing, dst_spacing, dst_shape, mode="trilinear"):
    """Resample a [C, Z, Y, X] tensor between grids sharing the origin (voxel 0 centre), by physical position."""
    axes = []
    for a in range(3):  # z, y, x
        n_src = vol.shape[1 + a]
        pos = torch.arange(dst_shape[a], dtype=torch.float32) * dst_spacing[a] / src_spacing[a]
        axes.append(2 * pos / (n_src - 1) - 1)
    gz, gy, gx = torch.meshgrid(axes[0], axes[1], axes[2], indexing="ij")
    grid = torch.stack([gx, gy, gz], -1)[None]
    return F.grid_sample(vol[None], grid, mode="bilinear", padding_mode="border", align_corners=True)[0]


def gaussian(p):
    c = torch.arange(p, dtype=torch.float32) - (p - 1) / 2
    g = torch.exp(-0.5 * (c / (p / 8)) ** 2)
    return g[:, None, None] * g[None, :, None] * g[None, None, :]


def sliding_window(model, img):
    z, y, x = img.shape
    prob = torch.zeros(NCLASS, z, y, x)
    weight = torch.zeros(z, y, x)
    g = gaussian(PATCH)
    step = PATCH // 2

    def starts(n):
        s = list(range(0, max(n - PATCH, 0) + 1, step))
        if s[-1] != max(n - PATCH, 0):
            s.append(max(n - PATCH, 0))
        return s

    with torch.no_grad():
        for z0 in starts(z):
            for y0 in starts(y):
                for x0 in starts(x):
                    patch = img[z0:z0 + PATCH, y0:y0 + PATCH, x0:x0 + PATCH]
                    p = torch.softmax(model(patch[None, None]), 1)[0]
                    prob[:, z0:z0 + PATCH, y0:y0 + PATCH, x0:x0 + PATCH] += p * g
                    weight[z0:z0 + PATCH, y0:y0 + PATCH, x0:x0 + PATCH] += g
    return prob / weight


def largest_component(mask):
    """6-connected largest component (pure numpy/BFS: scipy is not installed here)."""
    seen = np.zeros_like(mask, dtype=bool)
    best = None
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        comp, q = [start], deque([start])
        seen[start] = True
        while q:
            c = q.popleft()
            for a in range(3):
                for d in (-1, 1):
                    n = list(c)
                    n[a] += d
                    n = tuple(n)
                    if 0 <= n[a] < mask.shape[a] and mask[n] and not seen[n]:
                        seen[n] = True
                        comp.append(n)
                        q.append(n)
        if best is None or len(comp) > len(best):
            best = comp
    out = np.zeros_like(mask, dtype=bool)
    if best:
        out[tuple(np.array(best).T)] = True
    return out


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "training/data/native"
    onnx_path = sys.argv[2] if len(sys.argv) > 2 else "models/ct-phantom-organs/model.onnx"
    torch.set_num_threads(2)
    model = model_from_onnx(onnx_path)
    scores = {l: [] for l in LABELS[1:]}
    for img, lab, meta in load_cases(folder):
        sp = [meta["spacing"][2], meta["spacing"][1], meta["spacing"][0]]  # z, y, x
        dst = [int(round((n - 1) * s / 4.0)) + 1 for n, s in zip(img.shape, sp)]
        small = resample(torch.from_numpy(img)[None], sp, [4.0] * 3, dst)[0]
        prob = sliding_window(model, small)
        back = resample(prob, [4.0] * 3, sp, img.shape)
        pred = back.argmax(0).numpy()
        for v, name in enumerate(LABELS[1:], start=1):
            p = pred == v
            if name in LARGEST and p.any():
                p = largest_component(p)
            t = lab == v
            if t.sum() + p.sum():
                scores[name].append(2.0 * (p & t).sum() / (p.sum() + t.sum()))
        print(meta["seed"], {k: round(v[-1], 3) for k, v in scores.items() if v}, flush=True)
    table = {k: (float(np.mean(v)), float(np.min(v))) for k, v in scores.items() if v}
    print(json.dumps(table, indent=2))
    json.dump(table, open("training/result_native.json", "w"), indent=2)


if __name__ == "__main__":
    main()
