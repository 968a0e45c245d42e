"""Train the reference classifier `cxr-phantom-findings` on PA chest radiographs of the CT phantoms.

Data: RadiographDump output (see training/README.md) - case_<i>.u16 (uint16 LE, 12-bit MONOCHROME2 values,
x fastest) and case_<i>.json (width, height, seed, lung_nodule, enlarged_heart). Training and test seeds are disjoint.

The pre-processing here is the one the package declares (models/cxr-phantom-findings/tessera-model.yaml), so the
network sees at training what Tessera gives it at run time:
  window from the VOI LUT (centre 1900, width 3400: DICOM's linear VOI function) -> [0, 1],
  longest side resized to 128 (bilinear, pixel centres aligned), (v - 0.5) / 0.25, zero padding at bottom and right.

Writes models/cxr-phantom-findings/model.onnx (input `image` [N,1,128,128], output `logits` [N,2], sigmoid per
label), and training/result_cxr.json with the held-out metrics (test seeds only).
"""
import argparse
import json
import os
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = ["lung_nodule", "enlarged_heart"]
SIDE = 128
CENTER, WIDTH = 1900.0, 3400.0
MEAN, STD = 0.5, 0.25


def load(folder):
    xs, ys, seeds = [], [], []
    i = 0
    while os.path.exists(os.path.join(folder, "case_%d.json" % i)):
        meta = json.load(open(os.path.join(folder, "case_%d.json" % i)))
        img = np.fromfile(os.path.join(folder, "case_%d.u16" % i), dtype="<u2").astype(np.float32)
        xs.append(prepare(img.reshape(meta["height"], meta["width"])))
        ys.append([float(meta[k]) for k in LABELS])
        seeds.append(meta["seed"])
        i += 1
    return torch.stack(xs), torch.tensor(ys), seeds


def prepare(img):
    """The declared pre-processing (FramePreprocessor in Tessera's inference module)."""
    lo = CENTER - 0.5 - (WIDTH - 1) / 2
    hi = CENTER - 0.5 + (WIDTH - 1) / 2
    v = (np.clip(img, lo, hi) - lo) / (hi - lo)
    h, w = v.shape
    s = SIDE / max(w, h)
    rw, rh = min(SIDE, max(1, int(round(w * s)))), min(SIDE, max(1, int(round(h * s))))
    t = torch.from_numpy(v)[None, None]
    r = F.interpolate(t, size=(rh, rw), mode="bilinear", align_corners=False)[0, 0]
    out = torch.zeros(1, SIDE, SIDE)
    out[0, :rh, :rw] = (r - MEAN) / STD
    return out


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        chans = [16, 32, 48, 64]
        # a strided first layer keeps the cost low enough to train on two shared cores in minutes
        self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.BatchNorm2d(16), nn.ReLU())])
        for a, b in zip(chans, chans[1:]):
            self.blocks.append(nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2)))
        self.head = nn.Linear(2 * chans[-1], len(LABELS))

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        # mean pooling sees the heart's size, max pooling a small bright nodule anywhere
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.head(pooled)


def augment(x):
    shift = np.random.randint(-4, 5, size=2)
    x = torch.roll(x, shifts=(int(shift[0]), int(shift[1])), dims=(2, 3))
    gain = 1 + 0.05 * torch.randn(x.shape[0], 1, 1, 1)
    return x * gain + 0.02 * torch.randn_like(x)


def auc(scores, truth):
    pos = [s for s, t in zip(scores, truth) if t > 0.5]
    neg = [s for s, t in zip(scores, truth) if t <= 0.5]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=4.0)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--out", default="models/cxr-phantom-findings/model.onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(7)
    np.random.seed(7)
    xtr, ytr, _ = load("training/data/dx-train")
    xte, yte, test_seeds = load("training/data/dx-test")
    print("train", xtr.shape, ytr.mean(0).tolist(), "test", xte.shape, yte.mean(0).tolist(), flush=True)
    net = Net()
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    step = 0
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * frac))
        idx = torch.randint(0, xtr.shape[0], (16,))
        net.train()
        loss = F.binary_cross_entropy_with_logits(net(augment(xtr[idx])), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            print("step %d loss %.4f (%.0f s)" % (step, loss.item(), time.time() - start), flush=True)

    net.eval()
    with torch.no_grad():
        p = torch.sigmoid(torch.cat([net(xte[i:i + 32]) for i in range(0, xte.shape[0], 32)]))
    result = {"steps": step, "minutes": args.minutes, "train_cases": int(xtr.shape[0]), "test_cases": int(xte.shape[0]),
              "test_seeds": [min(test_seeds), max(test_seeds)], "labels": {}}
    for j, name in enumerate(LABELS):
        s, t = p[:, j].tolist(), yte[:, j].tolist()
        acc = sum((a > 0.5) == (b > 0.5) for a, b in zip(s, t)) / len(t)
        tp = sum(a > 0.5 and b > 0.5 for a, b in zip(s, t))
        sens = tp / max(1, sum(b > 0.5 for b in t))
        spec = sum(a <= 0.5 and b <= 0.5 for a, b in zip(s, t)) / max(1, sum(b <= 0.5 for b in t))
        result["labels"][name] = {"auc": round(auc(s, t), 3), "accuracy_at_0.5": round(acc, 3),
                                  "sensitivity": round(sens, 3), "specificity": round(spec, 3),
                                  "prevalence": round(sum(t) / len(t), 3)}
    print(json.dumps(result, indent=1), flush=True)
    json.dump(result, open("training/result_cxr.json", "w"), indent=1)

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.onnx.export(net, torch.zeros(1, 1, SIDE, SIDE), args.out, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "n"}, "logits": {0: "n"}}, opset_version=13)
    onnx.checker.check_model(onnx.load(args.out))
    # a reference pair: the first test case's prepared input and PyTorch's logits, for a parity test in Java
    with torch.no_grad():
        ref = net(xte[:1])
    np.save("training/data/cxr_reference_logits.npy", ref.numpy())
    print("wrote", args.out, os.path.getsize(args.out), "bytes; reference logits", ref.tolist(), flush=True)


if __name__ == "__main__":
    main()
