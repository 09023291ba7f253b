#!/usr/bin/env bash
# Side by side, in one run: peopleseg's Mask R-CNN (torchvision preset, deterministic weights) against torchvision 0.14
# itself on the CPU, same image, same input size (min 576 / max 960), same thread count, same score threshold.
#   tools/bench/compare_torchvision.sh [IMAGE] [THREADS] [ITERATIONS]
# Needs Debian's python3-torchvision (imports only under /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
image="${1:-../shared/data/coco-person/images/000000568290.jpg}"
threads="${2:-2}"
iterations="${3:-10}"
model="$(mktemp -d)/tv.onnx"
bin/peopleseg build --preset torchvision --deterministic --classes person --input-size 960x576 --output "$model" >/dev/null 2>&1
ours=$(bin/peopleseg bench --model "$model" --input "$image" --threads "$threads" --warmup 2 --iterations "$iterations" --json)
theirs=$(/usr/bin/python3 tools/bench/torchvision_bench.py "$image" --threads "$threads" --warmup 2 --iterations "$iterations")
rm -f "$model"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
o = ours["latency_ms"]["total"]["median"]
t = theirs["median_ms"]
print(f"peopleseg   median {o:8.1f} ms  (ONNX Runtime, {ours['threads']} threads)")
print(f"torchvision median {t:8.1f} ms  ({theirs['impl']}, {theirs['threads']} threads, {theirs['detections']} detections)")
print(f"ratio: peopleseg is {t / o:.2f}x faster")
PY
