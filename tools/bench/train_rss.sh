#!/usr/bin/env bash
# RSS of `peopleseg train` over a long run with a checkpoint and an evaluation every EVAL steps: the reduced Mask
# R-CNN of examples/train-smoke.txt (320x192, ResNet-10) at batch 1 on 4 coco-person images, validating on 4 others.
# Samples the process every 5 s (VmRSS, and the JVM's native memory tracking summary after each evaluation) and
# prints, per evaluation, the RSS the trainer recorded at the steps just before and after it.
#   nice -n 19 tools/bench/train_rss.sh [STEPS] [EVAL] [OUT_DIR] [HEIGHT WIDTH]   (default 500 50 out/train-rss 192 320)
# SMALL=1 also narrows the network (FPN and mask head 32 wide, fc 128, 32 RoIs): ~5x cheaper steps, for a loaded machine.
# Writes OUT_DIR/run (the run folder), OUT_DIR/rss.tsv (seconds, step, rss_mb), OUT_DIR/nmt-STEP.txt, OUT_DIR/log.
set -uo pipefail
cd "$(dirname "$0")/../.."
steps="${1:-500}"; every="${2:-50}"; out="${3:-out/train-rss}"; height="${4:-192}"; width="${5:-320}"
shared="${PEOPLESEG_SHARED:-../shared}"
coco="$shared/data/coco-person"
[ -f "$coco/annotations.json" ] || { echo "no $coco/annotations.json: set PEOPLESEG_SHARED" >&2; exit 2; }
rm -rf "$out"; mkdir -p "$out"
spec="$out/spec.txt"
sed -e "s/^total_steps: .*/total_steps: $steps/" -e "s/^num_steps_per_eval: .*/num_steps_per_eval: $every/" \
    -e "s/^train_batch_size: .*/train_batch_size: 1/" -e "s/^warmup_steps: .*/warmup_steps: 20/" \
    -e "s/image_size: .*/image_size: \"($height, $width)\"/" \
    -e "s/^learning_rate_steps: .*/learning_rate_steps: \"[$((steps * 4 / 5))]\"/" examples/train-smoke.txt > "$spec"
if [ -n "${SMALL:-}" ]; then
  sed -i -e "s/fpn_channels: .*/fpn_channels: 32/" -e "s/mask_head_channels: .*/mask_head_channels: 32/" \
      -e "s/fast_rcnn_mlp_head_dim: .*/fast_rcnn_mlp_head_dim: 128/" -e "s/ batch_size_per_im: .*/ batch_size_per_im: 32/" "$spec"
fi
PEOPLESEG_JAVA_OPTS="${PEOPLESEG_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" bin/peopleseg train --spec "$spec" \
    --output "$out/run" --threads 2 \
    --train-annotations "$coco/annotations.json" --train-images "$coco/images" --train-ids 4:0 --train-limit 4 \
    --val-annotations "$coco/annotations.json" --val-images "$coco/images" --val-ids 4:2 --val-limit 4 \
    > "$out/log" 2>&1 &
pid=$!
start=$(date +%s)
printf 'seconds\tstep\trss_mb\n' > "$out/rss.tsv"
evals_seen=0
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || true)
  step=$(tail -n 1 "$out/run/train.jsonl" 2>/dev/null | sed -n 's/^{"step":\([0-9]*\).*/\1/p')
  [ -n "$rss" ] && printf '%s\t%s\t%s\n' "$(( $(date +%s) - start ))" "${step:-0}" "$rss" >> "$out/rss.tsv"
  evals=$(ls "$out/run/eval" 2>/dev/null | wc -l)
  if [ "$evals" -gt "$evals_seen" ] && [ -f "$out/run/eval/$(ls "$out/run/eval" | sort -n | tail -1)/summary.json" ]; then
    evals_seen=$evals
    jcmd "$pid" VM.native_memory summary > "$out/nmt-${step:-0}.txt" 2>/dev/null || true
  fi
  sleep 5
done
wait "$pid" && rc=0 || rc=$?
echo "train exited with $rc after $(( $(date +%s) - start )) s (log: $out/log)"
python3 - "$out/run/train.jsonl" "$every" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
every = int(sys.argv[2])
rss = {r["step"]: r["rss_mb"] for r in rows}
print("step  rss_mb (recorded by the trainer after the step; an evaluation runs after every %d)" % every)
for s in sorted(rss):
    if s == 1 or s % every in (0, 1) or s == max(rss):
        print(f"{s:5d} {rss[s]:8.0f}")
PY
