"""Train the reference two-series package `mr-phantom-two-sequence`: a voxelwise classifier over two MR channels.

It proves the `input.channels` contract (several series of a study matched, resampled onto the first's grid by patient
coordinates, stacked as channels), not anatomy: its only input is the two intensities at one voxel. Body is bright in
T1 and nearly dark in FLAIR; a lesion is isointense in T1 and bright in FLAIR (testkit's TwoSequenceMrStudy draws
studies like that, but the training data here are drawn from the intensity model alone, no testkit study is used):
one channel alone cannot tell body from lesion from background. Samples mix two tissues with a random fraction per
channel (partial volume on two different grids, and trilinear resampling of the second), plus uniform noise of +-25.

Pre-processing declared by the package: each channel windowed to [0, 1200] -> [0, 1]. Writes
models/mr-phantom-two-sequence/model.onnx (input `image` [N, 2, Z, Y, X], output `logits` [N, 3, Z, Y, X]) and
training/result_mr_two_sequence.json (accuracy on fresh samples).
"""
import json
import os
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

SIGNAL = {"t1": [0.0, 600.0, 600.0], "flair": [0.0, 80.0, 900.0]}  # background, body, lesion


def samples(n, rng):
    a = rng.integers(0, 3, n)
    b = rng.integers(0, 3, n)
    pure = rng.random(n) < 0.5
    f1 = np.where(pure, 1.0, rng.random(n))
    f2 = np.clip(np.where(pure, 1.0, f1 + rng.normal(0, 0.2, n)), 0, 1)
    t1 = f1 * np.take(SIGNAL["t1"], a) + (1 - f1) * np.take(SIGNAL["t1"], b) + rng.uniform(-25, 25, n)
    fl = f2 * np.take(SIGNAL["flair"], a) + (1 - f2) * np.take(SIGNAL["flair"], b) + rng.uniform(-25, 25, n)
    x = np.stack([np.clip(t1, 0, None), np.clip(fl, 0, None)], 1) / 1200.0
    # the truth is the tissue at the voxel centre: the majority of it
    y = np.where(f1 >= 0.5, a, b)
    return torch.tensor(x, dtype=torch.float32)[:, :, None, None, None], torch.tensor(y)[:, None, None, None]


def main():
    torch.manual_seed(5)
    rng = np.random.default_rng(5)
    net = nn.Sequential(nn.Conv3d(2, 16, 1), nn.ReLU(), nn.Conv3d(16, 16, 1), nn.ReLU(), nn.Conv3d(16, 3, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    start = time.time()
    for step in range(3000):
        x, y = samples(512, rng)
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 500 == 0:
            print("step %d loss %.4f" % (step, loss.item()), flush=True)
    x, y = samples(20000, np.random.default_rng(99))
    with torch.no_grad():
        pred = net(x).argmax(1)
    acc = float((pred == y).float().mean())
    per = {name: float((pred[y == c] == c).float().mean()) for c, name in enumerate(["background", "body", "lesion"])}
    result = {"steps": 3000, "seconds": round(time.time() - start, 1), "accuracy_fresh_samples": round(acc, 4),
              "recall": {k: round(v, 4) for k, v in per.items()}}
    print(json.dumps(result, indent=1))
    json.dump(result, open("training/result_mr_two_sequence.json", "w"), indent=1)
    out = "models/mr-phantom-two-sequence/model.onnx"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    dims = {0: "n", 2: "z", 3: "y", 4: "x"}
    torch.onnx.export(net, torch.zeros(1, 2, 16, 32, 32), out, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": dims, "logits": dims}, opset_version=13)
    onnx.checker.check_model(onnx.load(out))
    print("wrote", out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
