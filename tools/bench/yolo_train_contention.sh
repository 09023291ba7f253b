#!/usr/bin/env bash
# Median s/image of YOLO-seg fine-tuning (run E's settings: 640x384 windows, 40 images, images 6-40) with 1 and
# 2 libtorch threads, alone and beside two `nice -n 19` busy loops.
#
#   tools/bench/yolo_train_contention.sh FINETUNE_DIR [OUT]
#
# FINETUNE_DIR is a `WINDOW=640x384 examples/finetune-cctv.sh` output folder (start-640x384.onnx, train.json).
# Data from $PEOPLESEG_SHARED or ../shared.
set -euo pipefail
ft="${1:?usage: yolo_train_contention.sh FINETUNE_DIR [OUT]}"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${PEOPLESEG_SHARED:-$root/../shared}"
run() { # THREADS LABEL
  rm -rf "$out/$2"
  "$root/bin/peopleseg" train --model "$ft/start-640x384.onnx" --train-annotations "$ft/train.json" \
      --train-images "$shared/data/cctv-1080p-train/images" --output "$out/$2" --epochs 30 --crop-from 1600x928 \
      --freeze backbone --nbs 4 --warmup-epochs 0.1 --warmup-bias-lr 0 --seed 0 --optimizer AdamW --lr0 0.0002 \
      --lrf 0.01 --momentum 0.9 --max-images 40 --threads "$1" > "$out/$2.log" 2>&1
  python3 - "$out/$2/train.jsonl" "$2" <<'PY'
import json, statistics, sys
s = [json.loads(l)["seconds"] for l in open(sys.argv[1])][5:]
print(f"{sys.argv[2]:10s} median {statistics.median(s):.3f} s/image over {len(s)} images")
PY
}
uptime
run 2 alone-t2
run 1 alone-t1
nice -n 19 sh -c 'while :; do :; done' & b1=$!
nice -n 19 sh -c 'while :; do :; done' & b2=$!
trap 'kill $b1 $b2 2>/dev/null' EXIT
run 2 loaded-t2
run 1 loaded-t1
uptime
