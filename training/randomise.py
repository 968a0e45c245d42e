"""Strongly randomised training samples drawn from PhantomTissueDump's tissue maps.

Each call to `sample` warps one phantom's anatomy (habitus: in-plane and axial scale, a small rotation), re-draws the
HU of every tissue, adds what Tessera's own phantom lacks, and simulates an acquisition:

- body habitus: extra subcutaneous fat (0-30 mm, boxier superellipse outlines), intra-abdominal fat when obese,
  fat planes around kidneys and spleen sometimes absent;
- arms beside the body (fat, muscle, humerus) and a curved CT table (dense shells, foam core; label background);
- a second liver lobe reaching across the midline;
- bowel loops (gas, fluid, air-fluid levels, soft-tissue walls) in the abdomen, some drawn over the liver's edge
  (labelled body there: the image shows bowel, not liver);
- enhanced vessels, cysts, calcifications and focal fat inside organs (organ label kept), lesions of any appearance;
- contrast phase (liver 50-130 HU, aorta 120-380 HU, ...), partial volume (2 mm -> 4 mm averaging), slice thickness
  (axial blur), in-plane blur, noise 2-25 HU, scanner gain and offset.

A fraction of samples is drawn plain (the phantom's own HU, no additions) so the model keeps its accuracy there.
Nothing here is taken from the cluttered generator used for the held-out evaluation; it is written from the
description of what real abdominal CT contains.
"""
import glob
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

# Tissue ordinals of io.tessera.testkit.phantom.Tissue (checked against tissues.json at load)
TISSUES = ["AIR", "SUBCUTANEOUS_FAT", "VISCERAL_FAT", "MUSCLE", "MEDIASTINUM", "ABDOMEN", "HEART", "AORTA",
           "VENA_CAVA", "CSF", "DISC", "LUNG_LEFT", "LUNG_RIGHT", "CORTICAL_BONE", "CANCELLOUS_BONE", "LIVER",
           "SPLEEN", "KIDNEY_LEFT", "KIDNEY_RIGHT"]
T = {n: i for i, n in enumerate(TISSUES)}
# codes added here (HU drawn per sample)
EXTRA_FAT, TABLE_SHELL, TABLE_FOAM, ARM_FAT, ARM_MUSCLE, ARM_CORTEX, ARM_MARROW = 20, 21, 22, 23, 24, 25, 26
BOWEL_WALL, BOWEL_GAS, BOWEL_FLUID, VESSEL, CYST, CALC, FOCAL_FAT = 27, 28, 29, 30, 31, 32, 33
LESION0 = 100
NCODE = 110
BODY, BONE, LIVER_L, SPLEEN_L, KID_L, KID_R = 1, 4, 5, 6, 7, 8
ORGAN_LABEL = {"liver": 5, "spleen": 6, "kidney_left": 7, "kidney_right": 8, "lung_left": 2, "lung_right": 3}


def load_tissue_cases(folder):
    meta_t = json.load(open(os.path.join(folder, "tissues.json")))["tissues"]
    assert [t["name"] for t in meta_t] == TISSUES, "Tissue enum changed: update training/randomise.py"
    base_hu = np.zeros(NCODE, np.float32)
    base_label = np.zeros(NCODE, np.int64)
    for i, t in enumerate(meta_t):
        base_hu[i], base_label[i] = t["hu"], t["label"]
    cases = []
    for p in sorted(glob.glob(os.path.join(folder, "case_*.json")), key=lambda p: int(p.split("_")[-1][:-5])):
        m = json.load(open(p))
        vol = np.fromfile(p[:-5] + "_tissue.u8", dtype=np.uint8).reshape(m["nz"], m["ny"], m["nx"])
        cases.append((vol, m))
    return cases, base_hu, base_label


def U(rng, a, b):
    return float(rng.uniform(a, b))


def _balls(xs, ys, zs, centres, radii):
    """Depth inside the union of balls (max over balls of r - distance), -inf outside; only balls near the points."""
    depth = np.full(xs.shape, -np.inf, np.float32)
    lo = np.array([xs.min(), ys.min(), zs.min()])
    hi = np.array([xs.max(), ys.max(), zs.max()])
    for c, r in zip(centres, radii):
        if np.any(c + r < lo) or np.any(c - r > hi):
            continue
        d = r - np.sqrt((xs - c[0]) ** 2 + (ys - c[1]) ** 2 + (zs - c[2]) ** 2)
        np.maximum(depth, d, out=depth)
    return depth


def _chain(rng, start, n, radius, step_frac=0.6, bounds=None):
    """A tube as a random walk of balls (bowel loop, vessel)."""
    c = np.array(start, np.float64)
    d = rng.normal(size=3)
    d /= np.linalg.norm(d)
    pts, rad = [], []
    for _ in range(n):
        r = radius * U(rng, 0.85, 1.15)
        pts.append(c.copy())
        rad.append(r)
        d = d + rng.normal(size=3) * 0.5
        d /= np.linalg.norm(d)
        c = c + d * r * step_frac
        if bounds is not None and not bounds(c):
            break
    return pts, rad


def _in_ell(rng, e, shrink=0.8):
    while True:
        u = rng.uniform(-1, 1, 3)
        if (u ** 2).sum() < 1:
            return np.array([e[0] + u[0] * e[3] * shrink, e[1] + u[1] * e[4] * shrink, e[2] + u[2] * e[5] * shrink])


def _blur1d(x, sigma, dim):
    if sigma < 0.15:
        return x
    r = max(1, int(math.ceil(2.5 * sigma)))
    k = torch.exp(-0.5 * (torch.arange(-r, r + 1, dtype=torch.float32) / sigma) ** 2)
    k = (k / k.sum())
    shape = [1, 1, 1, 1, 1]
    shape[dim] = 2 * r + 1
    pad = [0, 0, 0, 0, 0, 0]
    pad[2 * (4 - dim)] = pad[2 * (4 - dim) + 1] = r
    return F.conv3d(F.pad(x, pad, mode="replicate"), k.view(shape))


# HU ranges of the organs and blood by contrast phase (textbook values for adults, wide on purpose): what lets a model
# tell liver from kidney changes with the phase (unenhanced kidneys are darker than the liver, enhanced ones brighter)
PHASES = {
    "unenhanced": {"LIVER": (45, 70), "SPLEEN": (38, 55), "KIDNEY_LEFT": (25, 45), "AORTA": (30, 55),
                   "VENA_CAVA": (30, 55), "HEART": (30, 55)},
    "arterial": {"LIVER": (55, 90), "SPLEEN": (70, 140), "KIDNEY_LEFT": (130, 250), "AORTA": (200, 400),
                 "VENA_CAVA": (50, 120), "HEART": (80, 350)},
    "portal": {"LIVER": (90, 135), "SPLEEN": (95, 135), "KIDNEY_LEFT": (130, 210), "AORTA": (120, 220),
               "VENA_CAVA": (100, 170), "HEART": (100, 200)},
    "delayed": {"LIVER": (65, 100), "SPLEEN": (65, 100), "KIDNEY_LEFT": (90, 200), "AORTA": (80, 140),
                "VENA_CAVA": (80, 140), "HEART": (80, 140)},
}


def _deformation(rng, m, xs, ys, zs):
    """Lookup offsets (mm) that move and resize each abdominal organ on its own and bend the whole anatomy.

    Tessera's phantoms keep every organ within about 10 mm of one place and one shape; other anatomy (and real
    patients) put the liver higher or more medial, a larger spleen, kidneys lower or closer to the spine. Each organ
    gets, with probability 0.7, its own shift (up to 25 mm in-plane, 20 mm axially) and scale (0.8-1.3) inside a
    smooth neighbourhood of about twice its size, and the whole crop a smooth random field (5^3 control points,
    4-12 mm). The offsets are applied to where the tissue map is read, so image and labels move together; the shift of
    each organ is returned so additions drawn relative to an organ (the second liver lobe) follow it.
    """
    dx = np.zeros(xs.shape, np.float32)
    dy = np.zeros(xs.shape, np.float32)
    dz = np.zeros(xs.shape, np.float32)
    shifts = {}
    for key in ("liver", "spleen", "kidneyLeft", "kidneyRight"):
        if rng.random() >= 0.7:
            continue
        e = m[key]
        d = np.array([U(rng, -25, 25), U(rng, -25, 25), U(rng, -20, 20)])
        sc = U(rng, 0.8, 1.3)
        shifts[key] = d
        reach = 1.5 * max(e[3], e[4], e[5])
        px, py, pz = xs - e[0] - d[0], ys - e[1] - d[1], zs - e[2] - d[2]
        w = np.exp(-((px ** 2 + py ** 2 + pz ** 2) / reach ** 2) ** 2).astype(np.float32)
        k = 1.0 - 1.0 / sc
        dx -= w * (d[0] + k * px)
        dy -= w * (d[1] + k * py)
        dz -= w * (d[2] + k * pz)
    amp = U(rng, 4, 12)
    field = torch.from_numpy(rng.normal(size=(1, 3, 5, 5, 5)).astype(np.float32) * amp)
    field = F.interpolate(field, size=xs.shape, mode="trilinear", align_corners=True)[0].numpy()
    return xs + dx + field[0], ys + dy + field[1], zs + dz + field[2], shifts


def _organ_gaps(rng, code, lab):
    """Each abdominal organ (probability 0.6 each) loses a rim of 2-12 mm to the abdominal cavity's tissue.

    The phantom's liver fills the right abdomen up to the wall and its spleen and kidneys touch their neighbours; in
    other anatomy (and in patients with more intra-abdominal fat or bowel between them) organs lie apart, with tissue
    or fat between organ and wall. Eroding the organ and filling the rim with cavity tissue (label body) teaches the
    model that an organ need not touch the wall to be itself. In place, on the 2 mm code map.
    """
    for t in ("LIVER", "SPLEEN", "KIDNEY_LEFT", "KIDNEY_RIGHT"):
        if rng.random() >= 0.6:
            continue
        organ = code == T[t]
        if not organ.any():
            continue
        r = int(rng.integers(1, 7))
        inside = torch.from_numpy(organ)[None, None].float()
        for k, pad in (((2 * r + 1, 1, 1), (r, 0, 0)), ((1, 2 * r + 1, 1), (0, r, 0)), ((1, 1, 2 * r + 1), (0, 0, r))):
            inside = -F.max_pool3d(-inside, k, stride=1, padding=pad)  # a box erosion, one axis at a time
        kept = inside[0, 0].numpy() > 0.5
        rim = organ & ~kept
        code[rim] = T["ABDOMEN"]
        lab[rim] = BODY


def sample(cases, base_hu, base_label, rng, out=48, plain_p=0.2, organ_p=0.5, truncate_p=0.0, chest_cut_p=0.0,
           lung_wall_p=0.0, fat_cavity_p=0.0, abdomen_range_p=0.0, deform_p=0.0, gap_p=0.0, phase_p=0.0, max_fat=30.0):
    """One (image [out^3] normalised to [0, 1], labels [out^3]) pair at 4 mm.

    truncate_p: share of randomised samples whose scan range ends inside the abdomen (below through the kidneys,
    above through the liver), as in a short abdominal scan; everything beyond the cut is air, as Tessera pads.
    chest_cut_p: share of those cut above whose cut lies higher, in the lungs (70-160 mm above the liver's centre).
    lung_wall_p: share of randomised samples whose lungs grow 4-16 mm in-plane into the soft tissue around them, up
    to the ribs and muscle of the chest wall (this phantom keeps a layer of mediastinal tissue between lung and wall;
    real lungs, and other phantoms, touch the wall).
    fat_cavity_p: share of randomised non-obese samples whose abdominal cavity tissue is fat (obese ones: 70 %).
    abdomen_range_p: share of randomised samples scanned over a short abdominal range only (120-180 mm centred between
    the kidneys and the liver, so both ends cut through organs, the top one through the liver), as a limited abdominal
    CT is; applied instead of truncate_p's cuts.
    deform_p: share of randomised samples whose organs are moved, resized and bent on their own (_deformation).
    gap_p: share of randomised samples whose organs lose a rim to the cavity's tissue, so they lie apart (_organ_gaps).
    phase_p: share of randomised samples whose organ and vessel HU follow one contrast phase (PHASES: unenhanced kidneys
    darker than the liver, arterial spleen brighter, ...) instead of the independent ranges.
    max_fat: the most subcutaneous fat (mm) a randomised habitus adds.
    """
    vol, m = cases[rng.integers(len(cases))]
    sp = m["spacing"]
    org = np.array(m["origin"])
    nz, ny, nx = vol.shape
    plain = rng.random() < plain_p
    # --- geometry: output 2 mm grid of 2*out points, mapped into the phantom's mm by scale and rotation
    if plain:
        s = np.array([1.0, 1.0, 1.0]) * U(rng, 0.97, 1.03)
        th = 0.0
    else:
        s = np.array([U(rng, 0.8, 1.12), U(rng, 0.8, 1.2), U(rng, 0.85, 1.15)])
        th = math.radians(U(rng, -6, 6))
    n2 = 2 * out
    g = (np.arange(n2, dtype=np.float32) - (n2 - 1) / 2) * 2.0  # output mm offsets
    # crop centre in phantom mm: near an organ half of the time, else anywhere in the body's bounding box
    A, B = m["torso"]
    if rng.random() < organ_p:
        key = ["liver", "spleen", "kidneyLeft", "kidneyRight", "liver"][rng.integers(5)]
        e = m[key]
        c = np.array([e[0], e[1], e[2]]) + rng.uniform(-30, 30, 3)
        if rng.random() < 0.3:  # lungs and thorax
            c = np.array([U(rng, -90, 90), U(rng, -40, 40), U(rng, -40, 130)])
    else:
        c = np.array([U(rng, -A, A), U(rng, -B, B), U(rng, -150, 150)])
    zz, yy, xx = np.meshgrid(g / s[2], g / s[1], g / s[0], indexing="ij")
    ct, st = math.cos(th), math.sin(th)
    xs = (c[0] + ct * xx - st * yy).astype(np.float32)
    ys = (c[1] + st * xx + ct * yy).astype(np.float32)
    zs = (c[2] + zz).astype(np.float32)
    shifts = {}
    wx, wy, wz = xs, ys, zs
    if not plain and rng.random() < deform_p:
        wx, wy, wz, shifts = _deformation(rng, m, xs, ys, zs)
    ii = np.rint((wx - org[0]) / sp).astype(np.int32)
    jj = np.rint((wy - org[1]) / sp).astype(np.int32)
    kk = np.rint((wz - org[2]) / sp).astype(np.int32)
    inside = (ii >= 0) & (ii < nx) & (jj >= 0) & (jj < ny) & (kk >= 0) & (kk < nz)
    code = np.zeros(xs.shape, np.int64)
    code[inside] = vol[kk[inside], jj[inside], ii[inside]]
    # lesions: organ label of the host, HU per lesion
    lab_table = base_label.copy()
    hu = base_hu.copy()
    for les in m["lesions"]:
        lab_table[LESION0 + les["index"]] = ORGAN_LABEL[les["organ"]]
        hu[LESION0 + les["index"]] = les["hu"]
    lab = lab_table[code]

    if not plain:
        air = code == T["AIR"]
        # habitus: extra fat, boxier outline
        extra = U(rng, 0, max_fat) if rng.random() < 0.6 else 0.0
        p = [2.0, 2.5, 3.0][rng.integers(3)]
        ea, eb = A + extra, B + extra * U(rng, 0.7, 1.0)
        q = np.abs(xs / ea) ** p + np.abs(ys / eb) ** p
        fat = air & (q < 1)
        code[fat] = EXTRA_FAT
        lab[fat] = BODY
        obese = extra > 15
        # arms
        if rng.random() < 0.6:
            ar = U(rng, 30, 45)
            ax0 = ea + U(rng, 3, 15) + ar
            ay0 = U(rng, -15, 20)
            dx = np.abs(xs) - ax0
            dd = np.sqrt(dx ** 2 + ((ys - ay0) / 1.1) ** 2)
            arm = air & (dd < ar)
            bone_d = np.sqrt((dx - 5) ** 2 + (ys - ay0) ** 2)
            cc = np.where(dd > ar - U(rng, 5, 10), ARM_FAT, np.where(bone_d < 11, np.where(bone_d > 8, ARM_CORTEX, ARM_MARROW), ARM_MUSCLE))
            code[arm] = cc[arm]
            lab[arm] = np.where(np.isin(cc[arm], [ARM_CORTEX, ARM_MARROW]), BONE, BODY)
        # table (label background)
        if rng.random() < 0.7:
            top = eb + U(rng, 2, 10)
            curve = top + U(rng, 0, 0.001) * xs ** 2
            t = ys - curve
            tab = (code == T["AIR"]) & (t >= 0) & (t <= 12) & (np.abs(xs) < 230)
            code[tab] = np.where((t[tab] < 3) | (t[tab] > 9), TABLE_SHELL, TABLE_FOAM)
        if rng.random() < lung_wall_p:
            grow = int(rng.integers(2, 9))  # 2 mm steps
            soft = code == T["MEDIASTINUM"]
            for tl, ll in ((T["LUNG_LEFT"], ORGAN_LABEL["lung_left"]), (T["LUNG_RIGHT"], ORGAN_LABEL["lung_right"])):
                mask = torch.from_numpy(code == tl)[None, None].float()
                if not mask.any():
                    continue
                near = F.max_pool3d(mask, (1, 2 * grow + 1, 2 * grow + 1), stride=1, padding=(0, grow, grow))[0, 0].numpy() > 0
                hit = near & soft
                code[hit] = tl
                lab[hit] = ll
                soft &= ~hit
        if rng.random() < gap_p:
            _organ_gaps(rng, code, lab)
        cavity_tissue = np.isin(code, [T["ABDOMEN"], T["VISCERAL_FAT"]])
        # second liver lobe across the midline
        L = list(m["liver"])
        if "liver" in shifts:
            L[0:3] = [L[i] + shifts["liver"][i] for i in range(3)]
        if rng.random() < 0.6:
            lc = np.array([L[0] + L[3] * U(rng, 0.55, 0.95), L[1] - L[4] * U(rng, 0.2, 0.5), L[2] + U(rng, 0, 20)])
            la = np.array([L[3] * U(rng, 0.35, 0.6), L[4] * U(rng, 0.3, 0.5), L[5] * U(rng, 0.45, 0.7)])
            lobe = cavity_tissue & (((xs - lc[0]) / la[0]) ** 2 + ((ys - lc[1]) / la[1]) ** 2 + ((zs - lc[2]) / la[2]) ** 2 < 1)
            code[lobe] = T["LIVER"]
            lab[lobe] = LIVER_L
            cavity_tissue &= ~lobe
        # bowel loops: gas, fluid, air-fluid level; some over the liver's edge (labelled body)
        nloops = rng.integers(0, 9)
        ca, cb = A - m["fat"] - m["wall"], B - m["fat"] - m["wall"]
        dz = m["diaphragmZ"]

        def in_cavity(pt):
            return (pt[0] / ca) ** 2 + (pt[1] / cb) ** 2 < 0.9 and pt[2] < dz + 10

        wall_hu = U(rng, 20, 60)
        for _ in range(nloops):
            for _try in range(10):
                st0 = np.array([U(rng, -ca, ca), U(rng, -cb, cb * 0.6), U(rng, dz - 160, dz)])
                if in_cavity(st0):
                    break
            over = rng.random() < 0.35
            if over:  # start at the liver's edge
                u = rng.normal(size=3)
                u /= np.linalg.norm(u)
                st0 = np.array([L[0] + u[0] * L[3], L[1] + u[1] * L[4], L[2] + u[2] * L[5]])
            pts, rad = _chain(rng, st0, rng.integers(3, 9), U(rng, 7, 16), bounds=in_cavity)
            depth = _balls(xs, ys, zs, np.array(pts), np.array(rad))
            allowed = cavity_tissue | ((code == T["LIVER"]) if over else False)
            hit = allowed & (depth > 0)
            if not hit.any():
                continue
            gas = rng.random() < 0.6
            wall = U(rng, 1.5, 3.5)
            level = (np.mean([pp[1] for pp in pts]) + U(rng, -8, 8)) if (gas and rng.random() < 0.4) else np.inf
            lum = BOWEL_GAS if gas else BOWEL_FLUID
            cc = np.where(depth < wall, BOWEL_WALL, np.where(ys > level, BOWEL_FLUID, lum))
            code[hit] = cc[hit]
            lab[hit] = BODY
        # organ-internal: vessels, cysts, calcifications, focal fat (organ label kept)
        def moved(key):
            e = list(m[key])
            if key in shifts:
                e[0:3] = [e[i] + shifts[key][i] for i in range(3)]
            return e

        organs_e = {"liver": (L, [T["LIVER"]]), "spleen": (moved("spleen"), [T["SPLEEN"]]),
                    "kidneyLeft": (moved("kidneyLeft"), [T["KIDNEY_LEFT"]]),
                    "kidneyRight": (moved("kidneyRight"), [T["KIDNEY_RIGHT"]])}
        if rng.random() < 0.5:
            for key in ["liver", "liver", "spleen"]:
                e, ts = organs_e[key]
                for _ in range(rng.integers(1, 4)):
                    pts, rad = _chain(rng, _in_ell(rng, e), rng.integers(4, 12), U(rng, 2, 5), step_frac=0.7)
                    hit = np.isin(code, ts) & (_balls(xs, ys, zs, np.array(pts), np.array(rad)) > 0)
                    code[hit] = VESSEL

        def blobs(kind, keys, n, r0, r1):
            for _ in range(n):
                e, ts = organs_e[keys[rng.integers(len(keys))]]
                hit = np.isin(code, ts) & (_balls(xs, ys, zs, _in_ell(rng, e, 0.7)[None], np.array([U(rng, r0, r1)])) > 0)
                code[hit] = kind

        if rng.random() < 0.4:
            blobs(CYST, ["liver", "spleen", "kidneyLeft", "kidneyRight"], rng.integers(1, 4), 3, 10)
        if rng.random() < 0.3:
            blobs(CALC, ["liver", "liver", "spleen"], rng.integers(2, 5), 1.5, 3.5)
        if rng.random() < 0.25:
            blobs(FOCAL_FAT, ["liver"], rng.integers(1, 3), 4, 10)

        # scan range: end the volume inside the organs (air beyond, as Tessera pads outside the volume)
        if rng.random() < abdomen_range_p:
            kz = min(m["kidneyLeft"][2], m["kidneyRight"][2])
            centre = U(rng, min(kz, m["liver"][2]), max(kz, m["liver"][2]))
            half = U(rng, 60, 90)
            cut = (zs < centre - half) | (zs > centre + half)
            code[cut] = T["AIR"]
            lab[cut] = 0
        elif rng.random() < truncate_p:
            kz = min(m["kidneyLeft"][2], m["kidneyRight"][2])
            cut = np.zeros(xs.shape, bool)
            if rng.random() < 0.7:
                cut |= zs < kz + U(rng, -40, 30)
            if rng.random() < 0.6:
                # above: anywhere from the liver's middle through the lung bases to mid-chest (an abdominal scan
                # ends at the dome, a chest-abdomen scan inside the lungs); chest_cut_p of them end inside the lungs
                top = U(rng, 70, 160) if chest_cut_p > 0 and rng.random() < chest_cut_p else U(rng, 0, 70)
                cut |= zs > L[2] + top
            code[cut] = T["AIR"]
            lab[cut] = 0
        # --- intensities for this sample
        fat_hu = U(rng, -120, -80)
        hu[T["SUBCUTANEOUS_FAT"]] = fat_hu
        hu[EXTRA_FAT] = fat_hu
        hu[ARM_FAT] = fat_hu
        hu[T["VISCERAL_FAT"]] = fat_hu + U(rng, 0, 15) if rng.random() < 0.6 else U(rng, 10, 40)
        hu[T["MUSCLE"]] = hu[ARM_MUSCLE] = U(rng, 35, 65)
        fat_cavity = rng.random() < (0.7 if obese else fat_cavity_p)
        hu[T["ABDOMEN"]] = fat_hu + U(rng, 0, 20) if fat_cavity else U(rng, 10, 45)
        hu[T["MEDIASTINUM"]] = U(rng, 10, 50)
        if rng.random() < phase_p:
            ph = PHASES[list(PHASES)[rng.integers(len(PHASES))]]
            for t, (a, b) in ph.items():
                hu[T[t]] = U(rng, a, b)
            hu[T["KIDNEY_RIGHT"]] = hu[T["KIDNEY_LEFT"]] + U(rng, -10, 10)
        else:
            liver = U(rng, 50, 130)
            hu[T["LIVER"]] = liver
            hu[T["SPLEEN"]] = liver + U(rng, -15, 25)
            kid = U(rng, 110, 200)
            hu[T["KIDNEY_LEFT"]] = hu[T["KIDNEY_RIGHT"]] = kid
            hu[T["AORTA"]] = U(rng, 120, 380)
            hu[T["VENA_CAVA"]] = U(rng, 80, 200)
            hu[T["HEART"]] = U(rng, 40, 250)
        hu[T["CORTICAL_BONE"]] = hu[ARM_CORTEX] = U(rng, 450, 950)
        hu[T["CANCELLOUS_BONE"]] = hu[ARM_MARROW] = U(rng, 150, 350)
        hu[T["LUNG_LEFT"]] = hu[T["LUNG_RIGHT"]] = U(rng, -920, -720)
        hu[T["DISC"]] = U(rng, 50, 110)
        hu[TABLE_SHELL], hu[TABLE_FOAM] = U(rng, 150, 350), U(rng, -750, -450)
        hu[BOWEL_WALL], hu[BOWEL_GAS], hu[BOWEL_FLUID] = wall_hu, U(rng, -1000, -850), U(rng, -5, 35)
        hu[VESSEL] = U(rng, 140, 320)
        hu[CYST] = U(rng, -5, 15)
        hu[CALC] = U(rng, 300, 900)
        hu[FOCAL_FAT] = U(rng, -90, -20)
        for les in m["lesions"]:
            host = hu[T[les["organ"].upper()]] if les["organ"].upper() in T else 0.0
            kind = rng.integers(4)
            hu[LESION0 + les["index"]] = [host - U(rng, 30, 80), U(rng, 0, 15), host + U(rng, 40, 90), U(rng, 250, 650)][kind] \
                if les["organ"] not in ("lung_left", "lung_right") else U(rng, -50, 80)

    img = torch.from_numpy(hu[code])[None, None]
    img = F.avg_pool3d(img, 2)  # partial volume: 2 mm -> 4 mm
    # labels at 4 mm: the majority of the 8 sub-voxels (ties to the lower label)
    l8 = lab.astype(np.uint8).reshape(out, 2, out, 2, out, 2)
    counts = np.stack([(l8 == v).sum(axis=(1, 3, 5), dtype=np.uint8) for v in range(9)])
    lab4 = torch.from_numpy(counts.argmax(0))
    if not plain:
        if rng.random() < 0.7:
            img = _blur1d(img, U(rng, 0.2, 1.0), 2)  # slice thickness (z)
        if rng.random() < 0.5:
            sxy = U(rng, 0.2, 0.6)
            img = _blur1d(_blur1d(img, sxy, 3), sxy, 4)
        noise = U(rng, 2, 25)
        gain, off = U(rng, 0.97, 1.03), U(rng, -20, 20)
    else:
        noise, gain, off = U(rng, 3, 20), 1.0, 0.0
    img = img[0, 0].numpy() * gain + off + noise * rng.standard_normal(img.shape[2:]).astype(np.float32)
    img = ((np.clip(img, -1000.0, 1000.0) + 1000.0) / 2000.0).astype(np.float32)
    return img, lab4.numpy().astype(np.int64)
