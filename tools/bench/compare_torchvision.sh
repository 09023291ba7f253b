#!/usr/bin/env bash
# Side by side, in one run: peopleseg's Mask R-CNN (torchvision preset, deterministic weights), FP32 and its INT8
# ('peopleseg quantize', calibrated on 8 coco-person images), against torchvision 0.14 itself on the CPU: same image,
# same input size (min 576 / max 960), same thread count, same score threshold. ROUNDS rounds, each one
# 'bench -m FP32 -m INT8' (the two alternate, ITERATIONS runs each) then torchvision (ITERATIONS runs); the medians
# of the rounds' medians and their ratios are printed, so load that changes during the run hits all three alike.
#   tools/bench/compare_torchvision.sh [IMAGE] [THREADS] [ITERATIONS] [ROUNDS]
# WORK=DIR keeps (and reuses) the two packages there. Needs Debian's python3-torchvision (under /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${PEOPLESEG_SHARED:-../shared}"
image="${1:-$S/data/coco-person/images/000000568290.jpg}"
threads="${2:-2}"
iterations="${3:-10}"
rounds="${4:-3}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
fp32="$work/tv-fp32.onnx"
int8="$work/tv-int8.onnx"
[ -f "$fp32" ] || bin/peopleseg build --preset torchvision --deterministic --classes person --input-size 960x576 \
    --output "$fp32" >/dev/null 2>&1
# untrained weights: the agreement gate refuses them (README), --force writes the model to time it
[ -f "$int8" ] || bin/peopleseg quantize --model "$fp32" --calibration "$S/data/coco-person/annotations.json" \
    --calibration-images "$S/data/coco-person/images" --calibration-split 0/4 --images 8 --leave-one-out -1 \
    --force --no-cache --threads "$threads" --output "$int8" >/dev/null 2>&1
results="$work/rounds.jsonl"
: > "$results"
for r in $(seq 1 "$rounds"); do
  ours=$(bin/peopleseg bench --model "$fp32" --model "$int8" --input "$image" --threads "$threads" --warmup 2 \
      --iterations "$iterations" --json)
  theirs=$(/usr/bin/python3 tools/bench/torchvision_bench.py "$image" --threads "$threads" --warmup 2 \
      --iterations "$iterations")
  python3 -c 'import json,sys; print(json.dumps({"ours": json.loads(sys.argv[1]), "theirs": json.loads(sys.argv[2])}))' \
      "$ours" "$theirs" >> "$results"
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
fp32 = [r["ours"][0]["latency_ms"]["total"]["median"] for r in rows]
int8 = [r["ours"][1]["latency_ms"]["total"]["median"] for r in rows]
tv = [r["theirs"]["median_ms"] for r in rows]
for i, r in enumerate(rows):
    print(f"round {i + 1}: peopleseg FP32 {fp32[i]:8.1f} ms, INT8 {int8[i]:8.1f} ms, torchvision {tv[i]:8.1f} ms")
f, q, t = statistics.median(fp32), statistics.median(int8), statistics.median(tv)
o = rows[0]["ours"][0]
print(f"peopleseg FP32 median {f:8.1f} ms  (ONNX Runtime, {o['threads']} threads)")
print(f"peopleseg INT8 median {q:8.1f} ms  (ONNX Runtime, {o['threads']} threads)")
print(f"torchvision    median {t:8.1f} ms  ({rows[0]['theirs']['impl']}, {rows[0]['theirs']['threads']} threads, "
      f"{rows[0]['theirs']['detections']} detections)")
print(f"ratio: peopleseg FP32 is {t / f:.2f}x faster than torchvision, INT8 {t / q:.2f}x (INT8 vs FP32 {f / q:.2f}x)")
PY
[ -n "${WORK:-}" ] || rm -rf "$work"
