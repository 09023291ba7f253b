#!/usr/bin/env bash
# kill -9 at any moment: runs peopleseg's writing commands as child processes, SIGKILLs each at seeded random
# moments, and checks after every kill that no output is half-written under its final name (only the documented
# temporary names may be left over), then that a rerun succeeds. Run by .ci/run; needs bin/peopleseg built and
# ../shared (skips, saying so, without it).
#
#   tools/hostile/kill9.sh [SEED]          KILL9_ROUNDS=2 (kills per command)  KILL9_COMMANDS="import build ..."
#
# Each command first runs to completion once (its time T bounds the kill delays, and its outputs are the "old"
# complete files the next kills overwrite), then is killed KILL9_ROUNDS times at uniform random delays in
# [0.1 T, 1.0 T], alternately into a fresh folder and over the complete outputs, then rerun to completion.
# train is killed once and finished with --resume (its documented way to continue).
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
seed="${1:-$(date +%s)}"
rounds="${KILL9_ROUNDS:-2}"
commands="${KILL9_COMMANDS:-import build infer evaluate stream quantize train}"
shared="${PEOPLESEG_SHARED:-$(cd "$root/.." && pwd)/shared}"
C="$shared/data/coco-person"
yolo="$shared/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite"
if [ ! -f "$C/annotations.json" ] || [ ! -f "$yolo" ] || [ ! -f "$shared/data/vtest/vtest.avi" ]; then
  echo "kill9: SKIPPED: needs $C, $yolo and $shared/data/vtest/vtest.avi"
  exit 0
fi
echo "kill9: seed $seed, $rounds kills per command (rerun with: tools/hostile/kill9.sh $seed)"
RANDOM=$seed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PEOPLESEG_NO_REBUILD=1
failures=0
mkdir -p "$work/in"
for f in $(ls "$C/images" | sort | head -n 2); do ln -s "$C/images/$f" "$work/in/$f"; done
model="$work/yolo.onnx" # fp32, written by the import command below; the other commands read it

# args_<command> OUT: the command line writing into OUT (a folder, or a file for import/build/quantize)
args_import() { echo import --tflite "$yolo" --precision fp32 --input-size 256x256 --licence AGPL-3.0 --output "$1/yolo.onnx"; }
args_build() { echo build --preset torchvision --deterministic --classes person --input-size 320x256 --output "$1/maskrcnn.onnx"; }
args_infer() { echo infer --model "$model" --input "$work/in" --output "$1" --threads 1; }
args_evaluate() { echo evaluate --annotations "$C/annotations.json" --images "$C/images" --model "$model" --limit 3 --threads 1 --output "$1"; }
args_stream() { echo stream --model "$model" --source "$shared/data/vtest/vtest.avi" --max-frames 20 --output "$1" --threads 1; }
args_quantize() { echo quantize --model "$model" --calibration "$work/in" --images 2 --no-cache --threads 1 --output "$1/int8.onnx"; }
args_train() {
  echo train --spec examples/train-smoke.txt --output "$1/run" --threads 1 \
    --train-annotations "$C/annotations.json" --train-images "$C/images" --train-ids 4:0 --train-limit 4 \
    --val-annotations "$C/annotations.json" --val-images "$C/images" --val-ids 4:2 --val-limit 4
}

check() { # DIR: every file complete, or a documented temporary
  if ! python3 tools/hostile/check_outputs.py "$1"; then
    echo "kill9: FAILED: $2 left an incomplete file"
    failures=$((failures + 1))
  fi
}

run_to_end() { # NAME OUT [extra args]: runs to completion; sets ms; a non-zero exit is a failure
  local name=$1 out=$2; shift 2
  local t0 rc
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  bin/peopleseg $(args_"$name" "$out") "$@" > "$work/$name.log" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ "$rc" -ne 0 ]; then
    echo "kill9: FAILED: $name exited $rc on a full run"; tail -5 "$work/$name.log"
    failures=$((failures + 1))
  fi
}

kill_at() { # NAME OUT DELAY_MS
  local name=$1 out=$2 delay=$3
  mkdir -p "$out"
  # shellcheck disable=SC2046
  setsid bin/peopleseg $(args_"$name" "$out") > "$work/$name.kill.log" 2>&1 &
  local pid=$!
  sleep "$(awk -v ms="$delay" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  echo "  $name killed after ${delay} ms"
  check "$out" "$name killed after ${delay} ms"
}

for name in $commands; do
  echo "== kill9: $name"
  a="$work/$name-a"; b="$work/$name-b"
  mkdir -p "$a" "$b"
  if [ "$name" = train ]; then
    delay=$(( 3000 + RANDOM % 30000 ))
    kill_at train "$b" "$delay"
    run_to_end train "$b" --resume
    echo "  resumed to the end in $ms ms"
    check "$b" "train --resume"
    continue
  fi
  run_to_end "$name" "$a"
  echo "  full run: $ms ms"
  [ "$name" = import ] && cp "$a/yolo.onnx" "$model"
  check "$a" "$name (full run)"
  # the check can fail: the biggest output cut in half must be reported incomplete
  big="$(find "$a" -type f -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)"
  if [ -n "$big" ]; then
    mkdir -p "$work/cut"
    head -c "$(( $(stat -c %s "$big") / 2 ))" "$big" > "$work/cut/$(basename "$big")"
    if python3 tools/hostile/check_outputs.py "$work/cut" > /dev/null; then
      echo "  (a half $(basename "$big") passes the check: its format is not checked)"
    else
      echo "  a half $(basename "$big") is reported incomplete, as it should be"
    fi
    rm -rf "$work/cut"
  fi
  for r in $(seq 1 "$rounds"); do
    delay=$(( ms / 10 + (RANDOM * 32768 + RANDOM) % (ms * 9 / 10 + 1) ))
    if [ $((r % 2)) -eq 1 ]; then kill_at "$name" "$b" "$delay"; else kill_at "$name" "$a" "$delay"; fi
  done
  run_to_end "$name" "$b"
  echo "  rerun after the kills: $ms ms"
  check "$b" "$name (rerun)"
done
if [ "$failures" -ne 0 ]; then
  echo "kill9: $failures FAILED check(s) (seed $seed)"
  exit 1
fi
echo "kill9: all outputs complete after every kill (seed $seed)"
