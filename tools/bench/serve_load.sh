#!/usr/bin/env bash
# Load on loopback against 'peopleseg serve', side by side with 'peopleseg bench' in the same run:
#   tools/bench/serve_load.sh [MODEL.onnx] [IMAGE]
# MODEL defaults to YOLO11n-seg int8 960x576 imported from ../shared. Environment: DURATION (s per concurrency level,
# default 20), LEVELS (default "1 2 8 32"), INSTANCES (1), THREADS (ONNX Runtime threads per instance, 2),
# MAX_QUEUE (16), SOAK (seconds of a final run at concurrency 2 with RSS sampled every 10 s, default 0 = none).
# Needs wrk (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 only, and every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${PEOPLESEG_SHARED:-../shared}"
image="${2:-$shared/data/coco-person/images/000000568290.jpg}"
duration="${DURATION:-20}"; levels="${LEVELS:-1 2 8 32}"; instances="${INSTANCES:-1}"; threads="${THREADS:-2}"
max_queue="${MAX_QUEUE:-16}"; soak="${SOAK:-0}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=0
mkdir -p "$work/models"
if [ -n "${1:-}" ]; then
  cp "$1" "$work/models/people.onnx"
else
  bin/peopleseg import --tflite "$shared/models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite" \
    --precision int8 --input-size 960x576 --licence AGPL-3.0 --output "$work/models/people.onnx" >/dev/null
fi

bench=$(bin/peopleseg bench --model "$work/models/people.onnx" --input "$image" --threads "$threads" --warmup 3 \
  --iterations 30 --json)
single=$(python3 -c 'import json,sys; print("%.2f" % (1000 / json.loads(sys.argv[1])["latency_ms"]["total"]["median"]))' "$bench")
echo "bench single stream: $single images/s (median of 30, $threads threads, decoded image reused)"

port=$((20000 + RANDOM % 20000))
bin/peopleseg serve --models "$work/models" --port "$port" --grpc-port -1 --instances "$instances" \
  --threads "$threads" --max-queue "$max_queue" >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
url="http://127.0.0.1:$port/v1/segment?model=people"
export IMAGE="$image"
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$(pgrep -P "$pid" java || echo "$pid")/status" 2>/dev/null || echo "?"; }
wrk -t 1 -c 1 -d 5 -s tools/bench/serve_post.lua "$url" >/dev/null   # warm-up
echo "server: instances $instances x $threads threads, max queue $max_queue; RSS after warm-up $(rss) MB"
printf '%-11s %10s %9s %9s %9s %8s %s\n' concurrency "images/s" "vs bench" "p50 ms" "p99 ms" "non-2xx" "errors"
for c in $levels; do
  t=$(( c < 2 ? 1 : 2 ))
  out=$(wrk -t "$t" -c "$c" -d "$duration" --timeout 60s --latency -s tools/bench/serve_post.lua "$url")
  python3 - "$c" "$single" "$out" <<'PY'
import re, sys
c, single, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
total = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
errors = m.group(0).strip() if (m := re.search(r"Socket errors:.*", out)) else "0"
secs = float(re.search(r"requests in ([\d.]+)s", out).group(1))
ok = (total - non2xx) / secs
print(f"{c:<11} {ok:10.2f} {100 * ok / single:8.0f}% {ms('50%'):9.0f} {ms('99%'):9.0f} {non2xx:8d} {errors}")
PY
done
echo "RSS after the levels: $(rss) MB"
if [ "$soak" -gt 0 ]; then
  echo "soak: $soak s at concurrency 2, RSS (MB) every 10 s:"
  wrk -t 2 -c 2 -d "$soak" --timeout 60s -s tools/bench/serve_post.lua "$url" >"$work/soak.txt" &
  wpid=$!
  samples=""
  while kill -0 "$wpid" 2>/dev/null; do samples="$samples $(rss)"; sleep 10; done
  echo " $samples"
  grep -E "requests in|Non-2xx|Socket errors" "$work/soak.txt" || true
fi
grep -c ' 200 ' "$work/serve.log" | sed 's/^/access-log lines with status 200: /'
grep -vE ' (200|503) ' "$work/serve.log" | grep -E '^127' | head -5 || true
