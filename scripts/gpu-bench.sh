#!/usr/bin/env bash
# Inference benchmark on a machine with an NVIDIA GPU: builds the bench module with -Pgpu (onnxruntime_gpu instead
# of the CPU onnxruntime) and runs io.tessera.bench.InferenceBenchmark with inference.providers [tensorrt,cuda,cpu].
# See inference/README.md ("GPU benchmark"). Environment (all optional):
#   PROVIDERS=tensorrt,cuda,cpu   order of preference, as inference.providers
#   EXPECT=tensorrt               exit 2 unless the model really got this provider ("" = accept any fallback)
#   DEVICE=0  ROUNDS=5  SEED=1  FP16=0|1  TRT_CACHE=var/trt-cache  MODELS=models  MODEL=ct-phantom-organs
#   CPU_BASELINE=1                also run the same benchmark on the CPU provider afterwards, for the ratio
#   OFFLINE=1                     build with mvn -o (onnxruntime_gpu must already be in ~/.m2)
#   FAMILIES=1                    also run every other model family of MODELS (classifier, image-text, promptable when
#                                 packaged there, multi-series) on the same providers and compare each with the CPU
#                                 (io.tessera.bench.ModelFamiliesCheck; exit 1 when one differs beyond its tolerance)
set -euo pipefail
cd "$(dirname "$0")/.."

PROVIDERS=${PROVIDERS:-tensorrt,cuda,cpu}
EXPECT=${EXPECT-${PROVIDERS%%,*}}
DEVICE=${DEVICE:-0}
ROUNDS=${ROUNDS:-5}
SEED=${SEED:-1}
FP16=${FP16:-0}
TRT_CACHE=${TRT_CACHE:-var/trt-cache}
MODELS=${MODELS:-models}
MODEL=${MODEL:-ct-phantom-organs}

if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv
else
  echo "gpu-bench: nvidia-smi not found: no NVIDIA driver here; the run will fall back to the CPU" >&2
fi

# target/lib is the benchmark's classpath: a CPU build leaves onnxruntime-*.jar there, which must not sit beside
# onnxruntime_gpu-*.jar (both hold ai.onnxruntime.*), so it is rebuilt from scratch.
rm -rf bench/target/lib
mvn -q ${OFFLINE:+-o} -Pgpu -pl bench -am package -DskipTests
ls bench/target/lib | grep -q '^onnxruntime_gpu-' || { echo "gpu-bench: onnxruntime_gpu missing from bench/target/lib" >&2; exit 1; }

mkdir -p "$TRT_CACHE"
args=(--models "$MODELS" --model "$MODEL" --rounds "$ROUNDS" --seed "$SEED" --device "$DEVICE" --providers "$PROVIDERS"
      --trt-cache "$TRT_CACHE")
[ "$FP16" = 1 ] && args+=(--fp16)
[ -n "$EXPECT" ] && args+=(--expect-provider "$EXPECT")

CP="bench/target/classes:bench/target/lib/*"
echo "== $PROVIDERS (device $DEVICE, fp16 $FP16, TensorRT cache $TRT_CACHE)"
java -Xmx2g -cp "$CP" io.tessera.bench.InferenceBenchmark "${args[@]}"
if [ "${CPU_BASELINE:-0}" = 1 ]; then
  echo "== cpu baseline"
  java -Xmx2g -cp "$CP" io.tessera.bench.InferenceBenchmark --models "$MODELS" --model "$MODEL" --rounds "$ROUNDS" \
      --seed "$SEED" --providers cpu
fi
if [ "${FAMILIES:-1}" = 1 ]; then
  echo "== model families on $PROVIDERS vs cpu"
  java -Xmx2g -cp "$CP" io.tessera.bench.ModelFamiliesCheck --models "$MODELS" --device "$DEVICE" --providers "$PROVIDERS" \
      --trt-cache "$TRT_CACHE" --rounds "$ROUNDS"
fi
