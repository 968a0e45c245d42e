"""Train the image encoder of the image-text package `cxr-phantom-heart-text` against a fixed, real text encoder.

The text side is all-MiniLM-L6-v2 as Tessera runs it (BundledTextEncoder: its tokenizer.json through the HuggingFace
tokenizers library, mean pooling, unit length). Its vectors of the training captions are computed once in Java and
read here (--captions, JSON {caption: vector}); the text encoder is never trained (locked-text tuning). The image
encoder learns to put a radiograph near the captions that describe it, so that at run time *other* phrases (the
package's zero-shot prompts, which are not training captions) can classify it.

Data and pre-processing: as train_cxr_phantom_findings.py (RadiographDump cases, VOI window, longest side 128).
Loss: for each image, one caption drawn per class; the softmax over scale x cosine similarity must pick the image's
class (scale learnt, as CLIP's logit scale). Writes the image encoder ONNX (input `image` [N,1,128,128], output
`embedding` [N,384], not normalised: Tessera normalises), the learnt scale, and held-out metrics computed with the
zero-shot prompts of the package's manifest (--prompts JSON: the present/absent vectors, also from Java).
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

from train_cxr_phantom_findings import load, augment, auc

ENLARGED = ["the heart is enlarged", "cardiomegaly", "enlarged cardiac silhouette", "increased cardiothoracic ratio",
            "the cardiac silhouette is enlarged", "moderate cardiomegaly"]
NORMAL = ["the heart is normal in size", "normal cardiac silhouette", "heart size is normal",
          "normal cardiothoracic ratio", "the cardiac silhouette is within normal limits", "normal heart"]


class ImageEncoder(nn.Module):
    def __init__(self, dims):
        super().__init__()
        chans = [16, 32, 48, 64]
        self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.BatchNorm2d(16), nn.ReLU())])
        for a, b in zip(chans, chans[1:]):
            self.blocks.append(nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2)))
        self.proj = nn.Sequential(nn.Linear(2 * chans[-1], 256), nn.ReLU(), nn.Linear(256, dims))

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.proj(torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--captions", required=True, help="JSON {caption: vector} of the training captions (BundledTextEncoder)")
    ap.add_argument("--prompts", required=True, help="JSON {phrase: vector} of the manifest's zero-shot prompts")
    ap.add_argument("--present", nargs="+", required=True, help="the manifest's present prompts")
    ap.add_argument("--absent", nargs="+", required=True, help="the manifest's absent prompts")
    ap.add_argument("--minutes", type=float, default=6.0)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--out", default="models/cxr-phantom-heart-text/image_encoder.onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(11)
    np.random.seed(11)
    cap = json.load(open(args.captions))
    t_enl = torch.tensor([cap[c] for c in ENLARGED])
    t_nor = torch.tensor([cap[c] for c in NORMAL])
    xtr, ytr, _ = load("training/data/dx-train")
    xte, yte, test_seeds = load("training/data/dx-test")
    ytr, yte = ytr[:, 1], yte[:, 1]  # enlarged_heart
    print("train", xtr.shape, float(ytr.mean()), "test", xte.shape, float(yte.mean()), flush=True)
    net = ImageEncoder(t_enl.shape[1])
    log_scale = nn.Parameter(torch.tensor(float(np.log(10.0))))
    opt = torch.optim.AdamW(list(net.parameters()) + [log_scale], lr=args.lr, weight_decay=1e-4)
    budget, start, step = args.minutes * 60, time.time(), 0
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * frac))
        idx = torch.randint(0, xtr.shape[0], (16,))
        net.train()
        v = F.normalize(net(augment(xtr[idx])), dim=1)
        tn = t_nor[torch.randint(0, len(NORMAL), (16,))]
        te = t_enl[torch.randint(0, len(ENLARGED), (16,))]
        scale = log_scale.exp().clamp(max=100)
        logits = scale * torch.stack([(v * tn).sum(1), (v * te).sum(1)], dim=1)
        loss = F.cross_entropy(logits, ytr[idx].long())
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            print("step %d loss %.4f scale %.1f (%.0f s)" % (step, loss.item(), scale.item(), time.time() - start), flush=True)

    scale = float(log_scale.exp().clamp(max=100))
    pr = json.load(open(args.prompts))
    p_vec = F.normalize(torch.tensor([pr[p] for p in args.present]).mean(0), dim=0)
    a_vec = F.normalize(torch.tensor([pr[p] for p in args.absent]).mean(0), dim=0)
    net.eval()
    with torch.no_grad():
        v = F.normalize(torch.cat([net(xte[i:i + 32]) for i in range(0, xte.shape[0], 32)]), dim=1)
        # zero-shot with the manifest's prompts, exactly as ZeroShotClassifier computes it
        p = torch.sigmoid(scale * (v @ p_vec - v @ a_vec)).tolist()
        # and with the training captions' class means, for comparison
        q = torch.sigmoid(scale * (v @ F.normalize(t_enl.mean(0), dim=0) - v @ F.normalize(t_nor.mean(0), dim=0))).tolist()
    t = yte.tolist()
    acc = sum((a >= 0.5) == (b > 0.5) for a, b in zip(p, t)) / len(t)
    result = {"steps": step, "minutes": args.minutes, "scale": round(scale, 3), "train_cases": int(xtr.shape[0]),
              "test_cases": int(xte.shape[0]), "test_seeds": [min(test_seeds), max(test_seeds)],
              "present_prompts": args.present, "absent_prompts": args.absent,
              "enlarged_heart": {"zero_shot_auc": round(auc(p, t), 3), "zero_shot_accuracy_at_0.5": round(acc, 3),
                                 "training_captions_auc": round(auc(q, t), 3), "prevalence": round(sum(t) / len(t), 3)}}
    print(json.dumps(result, indent=1), flush=True)
    json.dump(result, open("training/result_cxr_text.json", "w"), indent=1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.onnx.export(net, torch.zeros(1, 1, 128, 128), args.out, input_names=["image"], output_names=["embedding"],
                      dynamic_axes={"image": {0: "n"}, "embedding": {0: "n"}}, opset_version=13)
    onnx.checker.check_model(onnx.load(args.out))
    print("wrote", args.out, os.path.getsize(args.out), "bytes", flush=True)


if __name__ == "__main__":
    main()
