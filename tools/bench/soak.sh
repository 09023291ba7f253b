#!/usr/bin/env bash
# Soak benchmark of the stream pipeline (not in CI): vtest.avi looped through 'peopleseg stream' with every output
# on (MP4, JSON Lines, MOT) for DURATION seconds, the process's memory sampled every SAMPLE seconds.
#
#   tools/bench/soak.sh MODEL.onnx [DURATION=1920] [OUT=/tmp/peopleseg-soak] [SAMPLE=60]
#
# Writes OUT/rss.csv: seconds, RSS as is (MiB), then - after a full GC forced with jcmd, so that samples compare
# (the JVM grows its heap lazily up to -Xmx, so raw RSS rises for a while without any leak) - RSS and Java heap in
# use (MiB). A leak shows as after-GC RSS or heap that keeps growing. The run's own [perf] lines are in OUT/stream.log.
# Environment: PEOPLESEG_SHARED (default ../shared), PEOPLESEG_TARGET / PEOPLESEG_NO_REBUILD as for bin/peopleseg.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="${1:?usage: soak.sh MODEL.onnx [DURATION] [OUT] [SAMPLE]}"
duration="${2:-1920}"
out="${3:-/tmp/peopleseg-soak}"
sample="${4:-60}"
shared="${PEOPLESEG_SHARED:-$root/../shared}"
video="$shared/data/vtest/vtest.avi"
[ -f "$video" ] || { echo "soak.sh: $video not found (set PEOPLESEG_SHARED)" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out"
PEOPLESEG_JAVA_OPTS="${PEOPLESEG_JAVA_OPTS:-} -Xmx2g" "$root/bin/peopleseg" stream --model "$model" --source "$video" \
  --loop 0 --duration "$duration" --perf-interval 30 --threads "${THREADS:-0}" --output "$out/streams" \
  > "$out/summary.txt" 2> "$out/stream.log" &
pid=$!
echo "seconds,rss_mib,rss_after_gc_mib,heap_after_gc_mib" > "$out/rss.csv"
start=$(date +%s)
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null; }
while kill -0 "$pid" 2>/dev/null; do
  sleep "$sample"
  kill -0 "$pid" 2>/dev/null || break
  before=$(rss)
  jcmd "$pid" GC.run > /dev/null 2>&1 || true
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i+1); sub(/K.*/, "", v); printf "%.0f", v / 1024; exit}}')
  echo "$(( $(date +%s) - start )),$before,$(rss),$heap" | tee -a "$out/rss.csv"
done
wait "$pid" && rc=0 || rc=$?
cat "$out/summary.txt"
echo "exit code $rc; samples in $out/rss.csv"
exit $rc
