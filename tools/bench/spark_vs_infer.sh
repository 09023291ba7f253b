#!/usr/bin/env bash
# Side by side, in one run, on the same N coco-person images with the same model (YOLO11n-seg int8 640x640):
#   peopleseg infer (one JVM, ONNX Runtime 2 threads, no overlays)
#   peopleseg spark-infer --master local[2] (two tasks, 1 ONNX Runtime thread each) and local[1]
# (peak RSS of each whole process with /usr/bin/time). ROUNDS rounds, alternating, so machine noise hits every variant alike; prints per-run wall seconds and medians,
# the overhead of Spark against infer, local[1] -> local[2] scaling, and checks that the results files are equal.
#   tools/bench/spark_vs_infer.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-200}"
rounds="${2:-2}"
shared="${PEOPLESEG_SHARED:-../shared}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin/peopleseg models >/dev/null 2>&1 || true   # builds now if needed, so that no timed run includes a build
export PEOPLESEG_NO_REBUILD=1
bin/peopleseg import --tflite "$shared/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite" \
  --precision int8 --input-size 640x640 --licence AGPL-3.0 --output "$work/model.onnx" >/dev/null 2>&1
mkdir -p "$work/in"
for f in $(ls "$shared/data/coco-person/images" | sort | head -n "$n"); do
  ln -s "$(cd "$shared/data/coco-person/images" && pwd)/$f" "$work/in/$f"
done
run() { # name, command...: wall seconds of the whole command (JVM start and model load included)
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/$name.rss" "$@" > "$work/$name.log" 2>&1 || true
  t1=$(date +%s.%N)
  echo "$name $(echo "$t1 - $t0" | bc) peak-rss-mb $(( $(tail -n 1 "$work/$name.rss") / 1024 ))" | tee -a "$work/times.txt"
}
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/infer" "$work"/*.parquet
  run infer bin/peopleseg infer --model "$work/model.onnx" --input "$work/in" --output "$work/infer" --no-overlays --threads 2
  run spark2 bin/peopleseg spark-infer --master 'local[2]' --model "$work/model.onnx" --input "$work/in" \
    --output "$work/s2.parquet" --coco-results "$work/s2.json"
  run spark1 bin/peopleseg spark-infer --master 'local[1]' --model "$work/model.onnx" --input "$work/in" \
    --output "$work/s1.parquet" --coco-results "$work/s1.json"
  cmp "$work/infer/results.json" "$work/s2.json" && cmp "$work/infer/results.json" "$work/s1.json" \
    && echo "round $r: results.json identical (infer, local[2], local[1])"
done
grep -h "^Done" "$work"/infer.log "$work"/spark2.log "$work"/spark1.log
python3 - "$work/times.txt" "$n" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    k, v = line.split()[:2]
    t.setdefault(k, []).append(float(v))
n = int(sys.argv[2])
med = {k: statistics.median(v) for k, v in t.items()}
for k in ("infer", "spark2", "spark1"):
    print(f"{k:7s} median {med[k]:7.1f} s  ({n / med[k]:.2f} images/s, whole command)  runs {t[k]}")
print(f"spark local[2] vs infer (2 threads): {100 * (med['spark2'] / med['infer'] - 1):+.1f}% wall time")
print(f"spark local[1] -> local[2]: {med['spark1'] / med['spark2']:.2f}x throughput")
PY
