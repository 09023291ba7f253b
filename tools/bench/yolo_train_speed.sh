#!/usr/bin/env bash
# YOLO-seg fine-tuning speed on this machine, rerunnable: `peopleseg train --model` (YOLO11n-seg fp32 imported from
# ../shared, backbone frozen, AdamW, batch 1 with 4 images per update) on cctv-1080p-train frames at each input
# size, rounds alternating the sizes so machine noise hits all of them. Per size: median s/step over all rounds
# (a step = one image: decode, augmentation, forward, loss, backward, and the optimiser every 4th), the first two
# steps of each run left out (warm-up), s/epoch for the 178-frame one-copy-per-frame split (--train-ids 2:1), and
# RSS at the first and last step (memory flat over the run).
#   tools/bench/yolo_train_speed.sh [STEPS] [ROUNDS] [SIZES...]     defaults: 24 2 320x192 640x384 960x576
# There is no independent PyTorch YOLO11 trainer on these machines (Ultralytics is not packaged by Debian, and is
# AGPL); the Mask R-CNN step is compared with torchvision in tools/bench/train_step_compare.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
steps="${1:-24}"; rounds="${2:-2}"; shift 2 || true
sizes=("$@"); [ "${#sizes[@]}" -gt 0 ] || sizes=(320x192 640x384 960x576)
shared="${PEOPLESEG_SHARED:-../shared}"
tflite="$shared/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite"
data="$shared/data/cctv-1080p-train"
[ -f "$tflite" ] && [ -f "$data/annotations.json" ] || { echo "yolo_train_speed: $shared lacks the model or data" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for s in "${sizes[@]}"; do
  bin/peopleseg import --tflite "$tflite" --precision fp32 --input-size "$s" --licence AGPL-3.0 \
    --output "$work/start-$s.onnx" >/dev/null
done
for r in $(seq 1 "$rounds"); do
  for s in "${sizes[@]}"; do
    bin/peopleseg train --model "$work/start-$s.onnx" --train-annotations "$data/annotations.json" \
      --train-images "$data/images" --train-ids 2:1 --epochs 1 --max-images "$steps" --freeze backbone --nbs 4 \
      --warmup-epochs 0 --optimizer AdamW --lr0 0.0002 --momentum 0.9 --threads 2 --seed "$r" \
      --output "$work/run-$s-$r" >/dev/null 2>"$work/run-$s-$r.log" || { cat "$work/run-$s-$r.log" >&2; exit 2; }
  done
done
python3 - "$work" "$rounds" "${sizes[@]}" <<'PY'
import json, statistics, sys
work, rounds, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print(f"{'size':>9}  {'median s/step':>13}  {'s/epoch (178)':>13}  RSS first -> last step (MB)")
for s in sizes:
    secs, rss = [], []
    for r in range(1, rounds + 1):
        lines = [json.loads(l) for l in open(f"{work}/run-{s}-{r}/train.jsonl") if l.strip()]
        secs += [l["seconds"] for l in lines[2:]]
        rss.append((lines[0]["rss_mb"], lines[-1]["rss_mb"]))
    m = statistics.median(secs)
    print(f"{s:>9}  {m:13.3f}  {178 * m:13.0f}  " + ", ".join(f"{a:.0f} -> {b:.0f}" for a, b in rss))
PY
