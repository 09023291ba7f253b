#!/usr/bin/env bash
# The README's INT8 table in one run: YOLO11n-seg fp32 960x576, its own INT8 (peopleseg quantize, calibrated on
# coco-person images with id % 4 == 0) and STMicroelectronics' int8 import, all evaluated on the coco-person images
# with id % 4 == 2, then benchmarked side by side (alternating runs). Mask R-CNN 960x576 (deterministic weights):
# FP32 -> INT8 with the agreement gate, and the side-by-side bench.
#
#   tools/bench/quantize_table.sh [WORK_DIR] [CALIBRATION_IMAGES]
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${PEOPLESEG_SHARED:-../shared}"
W="${1:-work/quantize-table}"
N="${2:-64}"
M="$S/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite"
C="$S/data/coco-person"
IMG="$C/images/000000568290.jpg"
mkdir -p "$W"
export PEOPLESEG_NO_REBUILD="${PEOPLESEG_NO_REBUILD:-}"

# the validation half as its own annotations file (images with id % 4 == 2 and their annotations)
python3 - "$C/annotations.json" "$W/coco-person-val.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = {i["id"] for i in d["images"] if i["id"] % 4 == 2}
d["images"] = [i for i in d["images"] if i["id"] in ids]
d["annotations"] = [a for a in d["annotations"] if a["image_id"] in ids]
json.dump(d, open(sys.argv[2], "w"))
print(len(ids), "validation images", file=sys.stderr)
PY

bin/peopleseg import --tflite "$M" --precision fp32 --input-size 960x576 --licence AGPL-3.0 --output "$W/yolo-fp32.onnx"
bin/peopleseg import --tflite "$M" --precision int8 --input-size 960x576 --licence AGPL-3.0 --output "$W/yolo-st-int8.onnx"
/usr/bin/time -v bin/peopleseg quantize --model "$W/yolo-fp32.onnx" --calibration "$C/annotations.json" \
    --calibration-split 0/4 --images "$N" --validation "$W/coco-person-val.json" --validation-images "$C/images" \
    --threads 2 --output "$W/yolo-own-int8.onnx" 2>&1 | tee "$W/quantize-yolo.txt"
for m in yolo-fp32 yolo-own-int8 yolo-st-int8; do
  bin/peopleseg evaluate --annotations "$W/coco-person-val.json" --images "$C/images" --model "$W/$m.onnx" \
      --threads 2 --no-report --output "$W/eval-$m"
done
bin/peopleseg bench -m "$W/yolo-fp32.onnx" -m "$W/yolo-own-int8.onnx" -m "$W/yolo-st-int8.onnx" -i "$IMG" \
    --threads 2 --warmup 3 --iterations 20 | tee "$W/bench-yolo.txt"

bin/peopleseg build --preset torchvision --deterministic --classes person --output "$W/maskrcnn-fp32.onnx"
/usr/bin/time -v bin/peopleseg quantize --model "$W/maskrcnn-fp32.onnx" --calibration "$C/annotations.json" \
    --calibration-split 0/4 --images 16 --validation "$W/coco-person-val.json" --validation-images "$C/images" \
    --validation-limit 16 --threads 2 --max-drop 100 --output "$W/maskrcnn-int8.onnx" 2>&1 | tee "$W/quantize-maskrcnn.txt"
bin/peopleseg bench -m "$W/maskrcnn-fp32.onnx" -m "$W/maskrcnn-int8.onnx" -i "$IMG" --threads 2 --warmup 2 \
    --iterations 10 | tee "$W/bench-maskrcnn.txt"
