#!/usr/bin/python3
"""Start a training run from a shipped ct-phantom-organs model.onnx instead of random weights.

The export folds batch norm into the convolutions, so the file holds one weight and bias per convolution. This writes
a state dict for train_ct_phantom_organs.UNet3D whose batch-norm layers reproduce the file exactly in eval mode
(running mean/var = the per-channel mean/variance of each folded convolution's output on real samples, gamma/beta
chosen so normalising undoes itself); in training mode, with batch statistics, it is then close to the file too.

    /usr/bin/python3 training/init_from_onnx.py models/ct-phantom-organs/model.onnx training/data/test training/init.pt
"""
import json
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import train_ct_phantom_organs as t


def main(onnx_path, test_folder, out):
    m = onnx.load(onnx_path)
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    convs = [n for n in m.graph.node if n.op_type in ("Conv", "ConvTranspose")]
    model = t.UNet3D()
    mods = [mod for mod in model.modules() if isinstance(mod, (torch.nn.Conv3d, torch.nn.ConvTranspose3d))]
    assert len(mods) == len(convs), f"{len(mods)} torch convolutions, {len(convs)} in the file"
    bn_after = {}
    for seq in model.modules():
        if isinstance(seq, torch.nn.Sequential) and len(seq) == 3 and isinstance(seq[1], torch.nn.BatchNorm3d):
            bn_after[id(seq[0])] = seq[1]
    with torch.no_grad():
        for mod, node in zip(mods, convs):
            w = torch.from_numpy(init[node.input[1]].copy())
            b = torch.from_numpy(init[node.input[2]].copy()) if len(node.input) > 2 else torch.zeros(w.shape[0])
            assert tuple(mod.weight.shape) == tuple(w.shape), (node.name, mod.weight.shape, w.shape)
            mod.weight.copy_(w)
            bn = bn_after.get(id(mod))
            if bn is None:
                mod.bias.copy_(b)
            else:  # identity for now: the folded bias goes into beta, statistics measured below
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
                bn.weight.fill_(1.0)
                bn.bias.copy_(b)
    # measure each folded convolution's output statistics (BN is identity in eval mode now)
    stats = {}

    def hook(bn):
        def f(_m, inp, _out):
            x = inp[0]
            stats.setdefault(bn, []).append((x.mean((0, 2, 3, 4)), x.var((0, 2, 3, 4))))
        return f

    bns = [mod for mod in model.modules() if isinstance(mod, torch.nn.BatchNorm3d)]
    handles = [bn.register_forward_hook(hook(bn)) for bn in bns]
    model.eval()
    cases = t.load_cases(test_folder)
    with torch.no_grad():
        for img, _, _ in cases[:4]:
            t.predict(model, img)
    for h in handles:
        h.remove()
    with torch.no_grad():
        for bn in bns:
            # the BN input is conv(x) without bias; the folded output is that + beta
            mean = torch.stack([s[0] for s in stats[bn]]).mean(0)
            var = torch.stack([s[1] for s in stats[bn]]).mean(0) + 1e-5
            std = torch.sqrt(var + bn.eps)
            beta = bn.bias.clone()
            bn.running_mean.copy_(mean)
            bn.running_var.copy_(var)
            bn.weight.copy_(std)
            bn.bias.copy_(beta + mean)
    # check: in eval mode the state dict is the file again (its held-out Dice, e.g. 1.1.0's model card)
    print(json.dumps(t.dice_table(model, cases), indent=1))
    torch.save(model.state_dict(), out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
