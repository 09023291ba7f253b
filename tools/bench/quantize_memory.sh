#!/usr/bin/env bash
# Peak memory of 'peopleseg quantize' on the 176 MB Mask R-CNN 960x576 (torchvision preset, deterministic weights):
# the same calibration (8 coco-person images, id % 4 == 0) and gate (4 images, id % 4 == 2; --max-drop 100, so no
# sensitivity pass) run one after another with --calibration-passes 1 and 4, under the launcher's default heap
# (-Xmx6g) and under -Xmx1g. Each run's peak RSS comes from /usr/bin/time -v; the calibration's own RSS and heap
# lines come from quantize's progress output.
#
#   tools/bench/quantize_memory.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${PEOPLESEG_SHARED:-../shared}"
W="${1:-work/quantize-memory}"
C="$S/data/coco-person"
mkdir -p "$W"
[ -f "$W/maskrcnn-fp32.onnx" ] || bin/peopleseg build --preset torchvision --deterministic --classes person \
    --input-size 960x576 --output "$W/maskrcnn-fp32.onnx"
ls -l "$W/maskrcnn-fp32.onnx"
run() { # NAME PASSES JAVA_OPTS
  PEOPLESEG_JAVA_OPTS="$3" /usr/bin/time -v bin/peopleseg quantize --model "$W/maskrcnn-fp32.onnx" \
      --calibration "$C/annotations.json" --calibration-images "$C/images" --calibration-split 0/4 --images 8 \
      --validation "$C/annotations.json" --validation-images "$C/images" --validation-split 2/4 --validation-limit 4 \
      --calibration-passes "$2" --max-drop 100 --no-cache --threads 2 --output "$W/$1.onnx" > "$W/$1.txt" 2>&1 || true
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$W/$1.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/$1.txt")
  calib=$(grep -E '^  8/8 images' "$W/$1.txt" | tail -1 | sed 's/^ *//')
  echo "$1: passes $2, JVM '${3:-default -Xmx6g}': peak RSS $peak MiB, wall $wall; calibration end: $calib"
}
uptime
run p1-xmx6g 1 ""
run p4-xmx6g 4 ""
run p1-xmx1g 1 "-Xmx1g"
run p4-xmx1g 4 "-Xmx1g"
uptime
