#!/usr/bin/python3
"""Trains models/phantom-grounding: a text-conditioned 3D grounding network on phantom studies with templated report
sentences, to exercise the path a real grounding model takes. Contract: image [1,1,Z,Y,X] (4 mm, window -1000..1000
HU -> 0..1) + token ids [1,24] in, mask logits [1,1,Z,Y,X] out (tessera-model.yaml task: grounding; Java side:
inference GroundingRunner/WordTokenizer, grounding ModelGrounder and ModelGroundingAccuracyTest).

Data: PhantomDump output (see training/README.md) — case_<i>_image.f32 (HU), case_<i>_lesion.u8 (lesion indices),
case_<i>_report.json (sentences with role DESCRIBES_LESION / NEGATED / NO_LESION / DISTRACTOR and the lesion index).
One training step = one volume and up to 3 of its sentences (its positives first): target = that lesion's mask for
DESCRIBES_LESION, an empty mask for NEGATED and NO_LESION (the model must learn that "no ..." and "possible nodule
where there is none" ground to nothing). Distractors are not trained (the report parser drops them).

Text: a word-level vocabulary built from the training sentences (written as tokenizer.json next to the model), phrases
padded to MAX_TOKENS ids; numbers become size buckets ("<size_8>" for 7.5-8.5 mm after cm->mm, Python's round(), half
to even), so "0.8 cm" and "8 mm" share a token. Laterality is carried by the words "left"/"right" themselves.
inference/.../WordTokenizer.java must stay identical to words()/Vocab.encode() (WordTokenizerTest pins ids).

Network: see GroundingNet — chosen so it trains in minutes on 2 shared CPU cores (a FiLM 3D U-Net at 4 mm took over a
minute per step there): fixed multi-scale context at 8 mm + coordinates + a FiLM-conditioned per-voxel MLP.

Usage: see training/README.md ("Training the reference grounding model"). --resume continues from checkpoint.pt;
--export-only evaluates and exports a checkpoint.
"""
import argparse
import glob
import json
import os
import re
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_TOKENS = 24
PAD, UNK = 0, 1
TRAINED_ROLES = {"DESCRIBES_LESION", "NEGATED", "NO_LESION"}


def words(text):
    """Lower-case words and size buckets, like the Java tokenizer (articles dropped, '12mm' -> 12, mm)."""
    toks = re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower())
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t in ("the", "a", "an"):
            i += 1
            continue
        if t[0].isdigit():
            # collect "a x b unit" and emit the largest size bucket
            nums = [float(t)]
            j = i + 1
            while j + 1 < len(toks) and toks[j] in ("x", "by") and toks[j + 1][0].isdigit():
                nums.append(float(toks[j + 1]))
                j += 2
            unit = toks[j] if j < len(toks) else ""
            factor = 10.0 if unit in ("cm", "centimeter", "centimeters") else 1.0 if unit in ("mm", "millimeter", "millimeters") else 0
            if factor:
                out.append("<size_%d>" % int(round(max(nums) * factor)))
                i = j + 1
                continue
        out.append(t)
        i += 1
    return out


class Vocab:
    def __init__(self, itos):
        self.itos = itos
        self.stoi = {w: n for n, w in enumerate(itos)}

    @staticmethod
    def build(sentences):
        seen = sorted({w for s in sentences for w in words(s)})
        return Vocab(["<pad>", "<unk>"] + seen + ["<size_%d>" % d for d in range(1, 61) if "<size_%d>" % d not in seen])

    def encode(self, text):
        ids = [self.stoi.get(w, UNK) for w in words(text)][:MAX_TOKENS]
        return ids + [PAD] * (MAX_TOKENS - len(ids))

    def save(self, path):
        # a word-level tokenizer.json in the shape of the HuggingFace format, enough for ai.djl tokenizers to read
        json.dump({"version": "1.0", "model": {"type": "WordLevel", "vocab": self.stoi, "unk_token": "<unk>"},
                   "pre_tokenizer": {"type": "Whitespace"}, "tessera": {"max_tokens": MAX_TOKENS, "pad_id": PAD,
                                                                       "size_buckets_mm": True}}, open(path, "w"), indent=1)


def load(folder):
    cases = []
    for meta_path in sorted(glob.glob(os.path.join(folder, "case_*.json"))):
        if meta_path.endswith("_report.json"):
            continue
        stem = meta_path[:-5]
        meta = json.load(open(meta_path))
        shape = (meta["nz"], meta["ny"], meta["nx"])
        img = np.fromfile(stem + "_image.f32", dtype="<f4").reshape(shape)
        lesion = np.fromfile(stem + "_lesion.u8", dtype=np.uint8).reshape(shape)
        report = json.load(open(stem + "_report.json"))["sentences"]
        img = ((np.clip(img, -1000, 1000) + 1000) / 2000).astype(np.float32)
        cases.append((img, lesion, [s for s in report if s["role"] in TRAINED_ROLES]))
    if not cases:
        raise SystemExit("no cases in " + folder)
    return cases


class GroundingNet(nn.Module):
    """Image [B,1,Z,Y,X] + token ids [B,T] -> mask logits [B,1,Z,Y,X] on the same grid (any Z, Y, X).

    Built to train in minutes on 2 busy CPU cores (a 3D U-Net at 4 mm took over a minute per step there): one 3x3x3
    convolution plus fixed multi-scale context (local means over 3, 7 and 15 voxels and the voxel's contrast against
    them, which is what makes a nodule or a hypodense lesion stand out), normalised coordinates (CoordConv: "left",
    "upper", "hepatic" are positions), then a per-voxel MLP (1x1x1 convolutions) conditioned on the phrase by FiLM
    (feature * (1 + gamma) + beta) at every layer. The phrase vector is the masked mean of token embeddings.
    """

    def __init__(self, vocab_size, hidden=24, emb=48):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb, padding_idx=PAD)
        self.text = nn.Sequential(nn.Linear(emb, emb), nn.ReLU(inplace=True))
        features = 7 + 3  # see encode()
        self.layers = nn.ModuleList([nn.Linear(features, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)])
        self.film = nn.ModuleList([nn.Linear(emb, 2 * hidden) for _ in self.layers])
        self.head = nn.Linear(hidden, 1)

    def forward(self, image, tokens):
        return self.decode(self.encode(image), tokens)

    @staticmethod
    def coords(image):
        # -1..1 along each axis; computed in the graph so Java feeds only the image
        z, y, x = image.shape[2], image.shape[3], image.shape[4]
        gz = (torch.arange(z, dtype=torch.float32) / (z - 1) * 2 - 1).view(1, 1, -1, 1, 1).expand(1, 1, z, y, x)
        gy = (torch.arange(y, dtype=torch.float32) / (y - 1) * 2 - 1).view(1, 1, 1, -1, 1).expand(1, 1, z, y, x)
        gx = (torch.arange(x, dtype=torch.float32) / (x - 1) * 2 - 1).view(1, 1, 1, 1, -1).expand(1, 1, z, y, x)
        return torch.cat([gz, gy, gx], dim=1)

    def encode(self, image):
        """Phrase-independent features of one image at 8 mm (the 4 mm input pooled by 2): [V, F] and the 8 mm shape."""
        c = F.avg_pool3d(image, 2)
        m3 = F.avg_pool3d(c, 3, stride=1, padding=1, count_include_pad=False)
        m5 = F.avg_pool3d(c, 5, stride=1, padding=2, count_include_pad=False)
        m9 = F.avg_pool3d(m3, 7, stride=1, padding=3, count_include_pad=False)
        f = torch.cat([c, m3, m9, (c - m3) * 8, (c - m5) * 8, (m3 - m9) * 8, (m5 - m9) * 8, self.coords(c)], dim=1)
        return f

    def decode(self, feats, tokens):
        """feats [1,F,z,y,x] from one image are shared by all B phrases; returns 4 mm logits [B,1,2z,2y,2x]."""
        mask = (tokens != PAD).float().unsqueeze(-1)
        t = self.text((self.embed(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0))
        shape = feats.shape
        v = feats.flatten(2)[0].transpose(0, 1)  # [V, F]: the per-voxel MLP is a matrix product
        outs = []
        for n in range(tokens.shape[0]):
            x = v
            for layer, film in zip(self.layers, self.film):
                g, b = film(t[n:n + 1]).chunk(2, dim=1)
                x = F.relu(layer(x) * (1 + g) + b)
            outs.append(self.head(x).transpose(0, 1).reshape(1, 1, shape[2], shape[3], shape[4]))
        return F.interpolate(torch.cat(outs, dim=0), scale_factor=2.0, mode="trilinear", align_corners=False)


def pad8(a):
    pads = [(0, (-n) % 8) for n in a.shape]
    return np.pad(a, pads)


def sample(cases, vocab, rng, per_image=3):
    """One volume and up to per_image of its phrases: every positive first (they are rare), then random negatives."""
    img, lesion, sentences = cases[rng.integers(len(cases))]
    pos = [s for s in sentences if s["role"] == "DESCRIBES_LESION"]
    neg = [s for s in sentences if s["role"] != "DESCRIBES_LESION"]
    rng.shuffle(pos)
    rng.shuffle(neg)
    chosen = (pos + neg)[:per_image] if pos else neg[:1]
    targets = [(lesion == s["lesion"]).astype(np.float32) if s["role"] == "DESCRIBES_LESION" else np.zeros_like(img)
               for s in chosen]
    return (torch.from_numpy(pad8(img))[None, None], torch.tensor([vocab.encode(s["text"]) for s in chosen]),
            torch.from_numpy(np.stack([pad8(t) for t in targets]))[:, None])


def loss_fn(logits, target):
    """Balanced per phrase: a lesion is ~50 of 737k voxels, so a plain (even pos-weighted) BCE + Dice collapses to
    "predict nothing" (the first 10-minute run did). Mean BCE over the target voxels, mean BCE over the rest plus the
    mean of the 256 hardest of the rest (a region fired for the wrong phrase must cost as much as a missed lesion),
    and Dice for phrases that describe a lesion."""
    total = 0.0
    for b in range(logits.shape[0]):
        lg, tg = logits[b].flatten(), target[b].flatten()
        bce = F.binary_cross_entropy_with_logits(lg, tg, reduction="none")
        neg = bce[tg < 0.5]
        loss = neg.mean() + torch.topk(neg, 256).values.mean()
        if tg.sum() > 0:
            p = torch.sigmoid(lg)
            loss = loss + bce[tg > 0.5].mean() + 1 - (2 * (p * tg).sum() + 1) / (p.sum() + tg.sum() + 1)
        total = total + loss
    return total / logits.shape[0]


def evaluate(model, cases, vocab):
    """Same measures as the Java accuracy test: right lesion (most-overlapped), negated/no-lesion -> empty, IoU."""
    model.eval()
    pos = right = neg = neg_empty = 0
    ious = []
    with torch.no_grad():
        for img, lesion, sentences in cases:
            x = torch.from_numpy(pad8(img))[None, None]
            for s in sentences:
                pred = torch.sigmoid(model(x, torch.tensor([vocab.encode(s["text"])])))[0, 0].numpy()
                pred = pred[: img.shape[0], : img.shape[1], : img.shape[2]] > 0.5
                if s["role"] == "DESCRIBES_LESION":
                    pos += 1
                    counts = np.bincount(lesion[pred], minlength=256)
                    counts[0] = 0
                    if counts.max() > 0 and counts.argmax() == s["lesion"]:
                        right += 1
                        truth = lesion == s["lesion"]
                        ious.append((pred & truth).sum() / max(1, (pred | truth).sum()))
                else:
                    neg += 1
                    neg_empty += int(pred.sum() < 2)
    model.train()
    return {"positives_right": right / max(1, pos), "positives": pos, "negated_or_no_lesion_empty": neg_empty / max(1, neg),
            "negatives": neg, "mean_iou": float(np.mean(ious)) if ious else 0.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--out", default="training/grounding_out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--export-only", help="checkpoint.pt to export without training")
    ap.add_argument("--resume", help="checkpoint.pt to continue training from (its vocabulary is kept)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train = [c for folder in args.train.split(",") for c in load(folder)]
    test = load(args.test)
    vocab = Vocab.build([s["text"] for _, _, ss in train for s in ss])
    model = GroundingNet(len(vocab.itos))
    if args.export_only:
        ck = torch.load(args.export_only)
        vocab = Vocab(ck["vocab"])
        model = GroundingNet(len(vocab.itos))
        model.load_state_dict(ck["model"])
        print(json.dumps(evaluate(model, test, vocab)))
        export(model, vocab, test, args.out)
        return
    if args.resume:
        ck = torch.load(args.resume)
        vocab = Vocab(ck["vocab"])
        model = GroundingNet(len(vocab.itos))
        model.load_state_dict(ck["model"])
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    print("cases %d train / %d test, vocabulary %d, parameters %d" % (
        len(train), len(test), len(vocab.itos), sum(p.numel() for p in model.parameters())), flush=True)
    start, step = time.time(), 0
    budget = args.minutes * 60
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * frac))
        img, tok, target = sample(train, vocab, rng)
        loss = loss_fn(model(img, tok), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 20 == 0:
            print("step %d  %.1f min  loss %.4f" % (step, (time.time() - start) / 60, loss.item()), flush=True)
    result = evaluate(model, test, vocab)
    result.update({"steps": step, "minutes": args.minutes, "train_cases": len(train), "test_cases": len(test)})
    print(json.dumps(result), flush=True)
    os.makedirs(args.out, exist_ok=True)
    vocab.save(os.path.join(args.out, "tokenizer.json"))
    json.dump(result, open(os.path.join(args.out, "result.json"), "w"), indent=1)
    torch.save({"model": model.state_dict(), "vocab": vocab.itos}, os.path.join(args.out, "checkpoint.pt"))
    export(model, vocab, test, args.out)


def export(model, vocab, test, out):
    model.eval()
    img = torch.from_numpy(pad8(test[0][0]))[None, None]
    tok = torch.tensor([vocab.encode(test[0][2][0]["text"])])
    path = os.path.join(out, "model.onnx")
    torch.onnx.export(model, (img, tok), path, opset_version=13, input_names=["image", "tokens"],
                      output_names=["logits"], dynamic_axes={"image": {2: "z", 3: "y", 4: "x"},
                                                             "logits": {2: "z", 3: "y", 4: "x"}})
    import onnx
    onnx.checker.check_model(onnx.load(path))
    print("exported", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
