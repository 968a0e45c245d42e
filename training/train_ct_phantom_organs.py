#!/usr/bin/python3
"""Train the reference segmentation model `ct-phantom-organs` on Tessera's synthetic CT phantoms.

Reads PhantomDump output (case_<i>_image.f32 / _label.u8 / .json at 4 mm isotropic), trains a small 3D U-Net on
random 64^3 patches (softmax cross-entropy + soft Dice), exports ONNX (opset 13, batch-norm folded), checks the export,
and measures held-out Dice per label on phantoms whose seeds are disjoint from the training seeds.

Only Debian's /usr/bin/python3 with torch 1.13, onnx and numpy is needed. See training/README.md.
"""
import argparse
import glob
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import randomise

LABELS = ["background", "body", "lung_left", "lung_right", "bone", "liver", "spleen", "kidney_left", "kidney_right"]
NCLASS = len(LABELS)
PATCH = 64  # export/inference patch
TRAIN_PATCH = 48  # training crops: same 4 mm voxels, 2.4x cheaper per step on a starved CPU


def load_cases(folder):
    cases = []
    metas = [p for p in glob.glob(os.path.join(folder, "case_*.json")) if not p.endswith("_report.json")]
    for meta_path in sorted(metas, key=lambda p: int(p.split("_")[-1][:-5])):
        meta = json.load(open(meta_path))
        stem = meta_path[:-5]
        shape = (meta["nz"], meta["ny"], meta["nx"])
        img = np.fromfile(stem + "_image.f32", dtype="<f4").reshape(shape)
        lab = np.fromfile(stem + "_label.u8", dtype=np.uint8).reshape(shape)
        cases.append((normalise(img), lab.astype(np.int64), meta))
    if not cases:
        raise SystemExit("no cases in " + folder)
    return cases


def normalise(hu):
    """Same as the manifest's intensity window: clip to [-1000, 1000] HU, map linearly to [0, 1]."""
    return ((np.clip(hu, -1000.0, 1000.0) + 1000.0) / 2000.0).astype(np.float32)


def conv(cin, cout, k=3, stride=1):
    return nn.Sequential(nn.Conv3d(cin, cout, k, stride=stride, padding=(k // 2 if stride == 1 else 0), bias=False),
                         nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


class UNet3D(nn.Module):
    """3D U-Net over four resolutions (4, 8, 16, 32 mm at 4 mm input), ~0.3 M parameters.

    Why this shape: training has to fit ~20 minutes on two shared CPU cores. Full-resolution 3x3x3 convolutions with
    thin channels dominate CPU time, so the full-resolution path is one 8-channel convolution whose features are
    mixed with the upsampled context by 1x1x1 convolutions; the context is computed from 8 mm down. Receptive field
    exceeds the 64^3 patch, which left/right decisions need (flip-free anatomy: heart, aorta, liver, spleen).
    """

    def __init__(self, w=(8, 16, 32, 64)):
        super().__init__()
        self.full = conv(1, w[0])
        self.stem = conv(w[0], w[1], k=2, stride=2)
        self.enc1 = nn.Sequential(conv(w[1], w[1]), conv(w[1], w[1]))
        self.enc2 = nn.Sequential(conv(w[1], w[2]), conv(w[2], w[2]))
        self.enc3 = nn.Sequential(conv(w[2], w[3]), conv(w[3], w[3]))
        self.up3 = nn.ConvTranspose3d(w[3], w[2], 2, stride=2)
        self.dec2 = conv(2 * w[2], w[2])
        self.up2 = nn.ConvTranspose3d(w[2], w[1], 2, stride=2)
        self.dec1 = conv(2 * w[1], w[1])
        self.up1 = nn.ConvTranspose3d(w[1], w[0], 2, stride=2)
        self.mix = conv(2 * w[0], 16, k=1)
        self.head = nn.Conv3d(16, NCLASS, 1)

    def forward(self, x):
        f = self.full(x)
        e1 = self.enc1(self.stem(f))
        e2 = self.enc2(F.max_pool3d(e1, 2))
        e3 = self.enc3(F.max_pool3d(e2, 2))
        d2 = self.dec2(torch.cat([self.up3(e3), e2], 1))
        d1 = self.dec1(torch.cat([self.up2(d2), e1], 1))
        return self.head(self.mix(torch.cat([self.up1(d1), f], 1)))


def random_patch(cases, rng):
    img, lab, _ = cases[rng.integers(len(cases))]
    nz, ny, nx = img.shape
    pz, py, px = (min(TRAIN_PATCH, s) for s in img.shape)
    z0, y0, x0 = rng.integers(nz - pz + 1), rng.integers(ny - py + 1), rng.integers(nx - px + 1)
    if rng.random() < 0.5:
        # half the crops are centred near a random voxel of a random organ, so small organs are seen often
        organ = rng.integers(2, NCLASS)
        zz, yy, xx = np.nonzero(lab[::2, ::2, ::2] == organ)
        if len(zz):
            n = rng.integers(len(zz))
            c = (2 * zz[n], 2 * yy[n], 2 * xx[n])
            z0, y0, x0 = (int(np.clip(c[a] - p // 2 + rng.integers(-8, 9), 0, s - p))
                          for a, (p, s) in enumerate(zip((pz, py, px), (nz, ny, nx))))
    i = img[z0:z0 + pz, y0:y0 + py, x0:x0 + px]
    # mild intensity augmentation (scanner calibration, ±15 HU offset and ±3 % gain); no flips: they would swap sides
    i = i * rng.uniform(0.97, 1.03) + rng.uniform(-15, 15) / 2000.0
    return i, lab[z0:z0 + pz, y0:y0 + py, x0:x0 + px]


def dice_loss(logits, target):
    prob = torch.softmax(logits, 1)
    onehot = F.one_hot(target, NCLASS).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    inter = (prob * onehot).sum(dims)
    denom = prob.sum(dims) + onehot.sum(dims)
    present = onehot.sum(dims)[1:] > 0
    d = (2 * inter[1:] + 1) / (denom[1:] + 1)
    return 1 - d[present].mean() if present.any() else logits.sum() * 0


def predict(model, img):
    with torch.no_grad():
        x = torch.from_numpy(img)[None, None]
        pad = [(-s) % 8 for s in img.shape]
        x = F.pad(x, (0, pad[2], 0, pad[1], 0, pad[0]), value=0.0)
        out = model(x)[0, :, :img.shape[0], :img.shape[1], :img.shape[2]]
        return out.argmax(0).numpy()


def dice_table(model, cases):
    model.eval()
    scores = {l: [] for l in LABELS[1:]}
    for img, lab, _ in cases:
        pred = predict(model, img)
        for v, name in enumerate(LABELS[1:], start=1):
            a, b = pred == v, lab == v
            s = a.sum() + b.sum()
            if s:
                scores[name].append(2.0 * (a & b).sum() / s)
    model.train()
    return {k: (float(np.mean(v)), float(np.min(v))) for k, v in scores.items() if v}


def export(model, path):
    import onnx
    model.eval()
    dummy = torch.rand(1, 1, PATCH, PATCH, PATCH)
    torch.onnx.export(model, dummy, path, opset_version=13, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N", 2: "Z", 3: "Y", 4: "X"}, "logits": {0: "N", 2: "Z", 3: "Y", 4: "X"}},
                      do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    if "BatchNormalization" in ops:
        raise SystemExit("batch norm was not folded into the convolutions: " + str(ops))
    # save a reference input/output pair so ONNX Runtime (Java) can confirm the export matches PyTorch
    with torch.no_grad():
        ref = model(dummy).numpy()
    return ops, dummy.numpy(), ref


# randomise.sample's options as command-line flags: (flag, keyword, default, help); each is a share of the randomised
# samples unless the help says otherwise
SAMPLE_OPTIONS = [
    ("--plain", "plain_p", 0.2, "fraction of all samples drawn without randomisation"),
    ("--truncate", "truncate_p", 0.0, "scan range ends inside liver or kidneys"),
    ("--chest-cut", "chest_cut_p", 0.0, "of the --truncate cuts above the liver: those that lie higher, in the lungs"),
    ("--lung-wall", "lung_wall_p", 0.0, "lungs grow out to the chest wall"),
    ("--fat-cavity", "fat_cavity_p", 0.0, "of the non-obese: a fat-filled abdominal cavity"),
    ("--abdomen-range", "abdomen_range_p", 0.0, "scanned over a short abdominal range cutting the liver"),
    ("--deform", "deform_p", 0.0, "organs moved, resized and bent on their own"),
    ("--organ-gap", "gap_p", 0.0, "organs lose a rim to the cavity's tissue"),
    ("--phase", "phase_p", 0.0, "organ HU follow one contrast phase"),
    ("--max-fat", "max_fat", 30.0, "the most subcutaneous fat (mm) a randomised habitus adds"),
]


class TissueSamples(torch.utils.data.IterableDataset):
    """Endless randomised samples (training/randomise.py), one random stream per worker."""

    def __init__(self, folder, seed, options):
        self.folder, self.seed, self.options = folder, seed, options

    def __iter__(self):
        torch.set_num_threads(1)
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([self.seed, info.id if info else 0])
        cases, base_hu, base_label = randomise.load_tissue_cases(self.folder)
        while True:
            yield randomise.sample(cases, base_hu, base_label, rng, out=TRAIN_PATCH, **self.options)


def tissue_loader(args):
    options = {key: getattr(args, flag[2:].replace("-", "_")) for flag, key, _, _ in SAMPLE_OPTIONS}
    return torch.utils.data.DataLoader(TissueSamples(args.tissue, args.seed, options), batch_size=args.batch,
                                       num_workers=args.workers, prefetch_factor=4 if args.workers else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default="training/data/train")
    ap.add_argument("--test", default="training/data/test")
    ap.add_argument("--out", default="models/ct-phantom-organs")
    ap.add_argument("--minutes", type=float, default=18.0, help="wall-clock training budget")
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", help="start from a saved state dict (e.g. training/checkpoint.pt) to train longer")
    ap.add_argument("--tissue", help="train on PhantomTissueDump tissue maps with strong randomisation (training/randomise.py) "
                                     "instead of the HU phantoms in --train")
    ap.add_argument("--workers", type=int, default=1, help="with --tissue: processes drawing samples")
    for flag, _, default, text in SAMPLE_OPTIONS:
        ap.add_argument(flag, type=float, default=default, help="with --tissue: " + text)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    test = load_cases(args.test)
    if args.tissue:
        samples = iter(tissue_loader(args))
        train_seeds = {m["seed"] for _, m in randomise.load_tissue_cases(args.tissue)[0]}
        train = []
    else:
        train = load_cases(args.train)
        train_seeds = {c[2]["seed"] for c in train}
    test_seeds = {c[2]["seed"] for c in test}
    assert not train_seeds & test_seeds, "train and test seeds overlap"
    model = UNet3D()
    if args.resume:
        model.load_state_dict(torch.load(args.resume))
    nparams = sum(p.numel() for p in model.parameters())
    print(f"train cases {len(train_seeds)}, test cases {len(test)}, parameters {nparams}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    # class weights: small organs count more in the cross-entropy
    weights = torch.tensor([0.5, 1, 1, 1, 1.5, 1, 2, 2, 2], dtype=torch.float32)

    budget = args.minutes * 60
    start = time.time()
    step = 0
    while True:
        elapsed = time.time() - start
        if elapsed > budget:
            break
        frac = elapsed / budget
        lr = args.lr * (min(1.0, step / 30) * 0.5 * (1 + math.cos(math.pi * frac)) + 0.01)
        for g in opt.param_groups:
            g["lr"] = lr
        if args.tissue:
            x, y = next(samples)
            x = x[:, None]
        else:
            batch = [random_patch(train, rng) for _ in range(args.batch)]
            x = torch.from_numpy(np.stack([b[0] for b in batch])[:, None].astype(np.float32))
            y = torch.from_numpy(np.stack([b[1] for b in batch]))
        logits = model(x)
        loss = F.cross_entropy(logits, y, weight=weights) + dice_loss(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 25 == 0:
            print(f"step {step} t={elapsed:.0f}s lr={lr:.5f} loss={loss.item():.4f}", flush=True)
        if step % 250 == 0:
            torch.save(model.state_dict(), "training/checkpoint.pt")
    train_s = time.time() - start
    torch.save(model.state_dict(), "training/checkpoint.pt")
    print(f"trained {step} steps in {train_s:.0f}s", flush=True)

    table = dice_table(model, test)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    ops, ref_in, ref_out = export(model, onnx_path)
    np.asarray(ref_in, "<f4").tofile("training/data/reference_input.f32")
    np.asarray(ref_out, "<f4").tofile("training/data/reference_logits.f32")
    result = {"data": ("randomised tissue maps " + args.tissue + f" (plain fraction {args.plain})") if args.tissue else args.train,
              "steps": step, "train_seconds": round(train_s), "parameters": nparams, "batch": args.batch,
              "patch": PATCH, "train_patch": TRAIN_PATCH, "train_seeds": [min(train_seeds), max(train_seeds)],
              "test_seeds": [min(test_seeds), max(test_seeds)], "dice": table, "onnx_ops": ops,
              "onnx_bytes": os.path.getsize(onnx_path)}
    json.dump(result, open("training/result.json", "w"), indent=2)
    print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
