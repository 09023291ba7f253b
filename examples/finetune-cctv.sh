#!/usr/bin/env bash
# Fine-tunes YOLO11n-seg (fp32, imported from ../shared's TFLite) on the cctv-1080p-train frames that are NOT near a
# test frame, then evaluates the start and the fine-tuned package on the 22 frames of cctv-1080p with the same
# evaluator, side by side, at the deploy size.
#
#   examples/finetune-cctv.sh OUTPUT_DIR        ->  OUTPUT_DIR/model.onnx (DEPLOY, fp32, AGPL-3.0 like its source)
#
# The split: cctv-1080p and cctv-1080p-train are Roboflow's random split of the same three clinic videos (file
# names CAMERA-FRAME-...; consecutive frame numbers are ~6-7 s apart by the burnt-in clock), so
# examples/cctv_split.py drops every train frame within GAP (2) frame numbers of a test frame of the same camera:
# 226 of the 356 train images are kept (113 source frames, both of Roboflow's augmented copies), and nothing else is
# trained on. It trains a 960x576 import (conv weights do not depend on the input size) on 960x576 WINDOWS cut at
# random from each image letterboxed to CROP_FROM (default: the DEPLOY size), so people have the pixel size the
# deployed package sees while a step costs a 960x576 forward/backward; the weights go into the DEPLOY import.
# Recipe (README "train (YOLO-seg)", run EW = run E's recipe with 960x576 windows instead of 640x384, chosen on the
# validation split; E = run D's recipe, fixed before any test number was seen, for 30 epochs instead of 6): backbone
# frozen (FREEZE: backbone, none or N first conv layers), AdamW lr0 LR0 (0.0002) with a 100-image warmup (no
# bias-lr warmup) and Ultralytics' linear decay to lr0 * 0.01 over EPOCHS (30), 4 images per optimiser step,
# Ultralytics' flip/scale (SCALE, 0.5)/translate/HSV in the canvas frame, no mosaic (MOSAIC, 0). About 70 s per
# epoch on 2 idle cores, 37 minutes in all (much slower beside other CPU work). It stops after MAX_IMAGES images
# (0 = all EPOCHS) or TIME_LIMIT seconds (0 = none), whichever first. SEED (0) seeds the image order and the
# augmentation draws; THREADS (0 = one per core) are libtorch's threads (two runs side by side: THREADS=1 each).
# TTA (flip) also evaluates both packages with test-time flip (evaluate --tta flip; eval-NAME-flip; the README's
# headline is the fine-tuned package with flip); TTA=none evaluates plainly only. WINDOW (960x576) is the training
# window's size (the trained import's input size; a step costs about its pixel count; 640x384 is run E's).
# RESUME=1 continues an interrupted run (Ctrl-C, a killed job) from OUTPUT_DIR/run's last checkpoint instead of
# starting afresh; train refuses it if any variable that shapes the run differs from the first time.
# VALIDATE=1 chooses settings without the test frames: it holds every 4th cluster of training frames of each camera
# out (examples/cctv_split.py --hold-out: 38 images), trains on the other 188 with the same recipe (and any of the
# variables above), validates on the held-out frames at the DEPLOY size every 10 epochs (OUTPUT_DIR/run/eval/STEP)
# and stops there, without touching cctv-1080p.
# Data from $PEOPLESEG_SHARED or ../shared.
set -euo pipefail
out="${1:?usage: examples/finetune-cctv.sh OUTPUT_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${PEOPLESEG_SHARED:-$root/../shared}"
tflite="$shared/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite"
train="$shared/data/cctv-1080p-train"
test="$shared/data/cctv-1080p"
deploy="${DEPLOY:-1600x928}"
crop="${CROP_FROM:-$deploy}"
window="${WINDOW:-960x576}"
for f in "$tflite" "$train/annotations.json" "$test/annotations.json"; do
  [ -f "$f" ] || { echo "finetune-cctv: $f not found (set PEOPLESEG_SHARED)" >&2; exit 2; }
done
ps="$root/bin/peopleseg"
mkdir -p "$out"
hold_out=() validate=()
if [ "${VALIDATE:-0}" = 1 ]; then
  hold_out=(--hold-out "$out/val.json")
  validate=(--val-annotations "$out/val.json" --val-images "$train/images" --eval-every 10)
fi
python3 "$root/examples/cctv_split.py" "$train/annotations.json" "$test/annotations.json" "$out/train.json" \
    --gap "${GAP:-2}" "${hold_out[@]}"
for size in $deploy $window; do
  [ -f "$out/start-$size.onnx" ] || "$ps" import --tflite "$tflite" --precision fp32 --input-size $size \
      --licence AGPL-3.0 --output "$out/start-$size.onnx"
done
resume=()
if [ "${RESUME:-0}" = 1 ]; then
  resume=(--resume)   # continue OUTPUT_DIR/run from its last checkpoint (same variables as the first time)
else
  rm -rf "$out/run"   # a fresh run: train refuses a folder holding checkpoints without --resume
fi
"$ps" train --model "$out/start-$window.onnx" --deploy-model "$out/start-$deploy.onnx" \
    --train-annotations "$out/train.json" --train-images "$train/images" --output "$out/run" \
    --epochs "${EPOCHS:-30}" --crop-from "$crop" --freeze "${FREEZE:-backbone}" --nbs 4 --warmup-epochs 0.1 --warmup-bias-lr 0 \
    --seed "${SEED:-0}" --threads "${THREADS:-0}" --optimizer AdamW --lr0 "${LR0:-0.0002}" --lrf 0.01 --momentum 0.9 --mosaic "${MOSAIC:-0}" \
    --max-images "${MAX_IMAGES:-0}" --time-limit "${TIME_LIMIT:-0}" ${SCALE:+--scale "$SCALE"} "${validate[@]}" "${resume[@]}"
if [ "${VALIDATE:-0}" = 1 ]; then
  echo "validation (held-out training frames, $deploy): $out/run/eval/*/metrics.json; cctv-1080p not evaluated"
  exit 0
fi
cp "$out/run/model.onnx" "$out/model.onnx.tmp" && mv "$out/model.onnx.tmp" "$out/model.onnx"
tta="${TTA:-flip}"
names=()
for m in start-$deploy model; do
  "$ps" evaluate --annotations "$test/annotations.json" --images "$test/images" --model "$out/$m.onnx" \
      --threads 2 --output "$out/eval-$m" --no-report
  names+=("$m")
  if [ "$tta" != none ]; then
    "$ps" evaluate --annotations "$test/annotations.json" --images "$test/images" --model "$out/$m.onnx" \
        --threads 2 --tta "$tta" --output "$out/eval-$m-$tta" --no-report
    names+=("$m-$tta")
  fi
done
python3 - "$out" "${names[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
print("cctv-1080p (22 frames)      box AP50   P@bestF1  R@bestF1  acc@bestF1  threshold")
for name in names:
    b = json.load(open(f"{out}/eval-{name}/metrics.json"))["bbox"]
    f = b["best_f1"]
    print(f"{name:26s}  {100*b['stats'][1]:6.1f}    {100*f['precision']:6.1f}    {100*f['recall']:6.1f}"
          f"    {100*f['accuracy']:6.1f}     {f['threshold']:.3f}")
PY
echo "wrote $out/model.onnx"
