#!/usr/bin/env bash
# Load on loopback against 'peopleseg serve', side by side with 'peopleseg bench' in the same run:
#   tools/bench/serve_load.sh [MODEL.onnx] [IMAGE]
# MODEL defaults to YOLO11n-seg int8 960x576 imported from ../shared. Environment: DURATION (s per concurrency level,
# default 20), LEVELS (default "1 2 8 32"), INSTANCES, THREADS (ONNX Runtime threads per instance), MAX_QUEUE
# (each passed to serve only when set: unset, serve's defaults apply, one 1-thread instance per core and a queue of
# 64), SOAK (seconds of a final run at concurrency 2 with RSS sampled every 10 s, default 0 = none),
# SPIN=1 (serve --spin: ONNX Runtime's threads spin, as they do in bench). BENCH_THREADS (default THREADS, or all
# cores when THREADS is unset): the threads of the single-stream bench the server is compared with.
# Per level it prints the rate of successful requests and its share of bench's, p50/p99 of every answer (refusals
# included), non-2xx answers and socket errors, the server's CPU per successful image and cores used (robust to a
# shared machine, unlike the rate), the load average when the level started, and from /metrics the mean queue,
# decode and inference (pre-process + ONNX Runtime + post-process) milliseconds of a successful request.
# Needs wrk (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 only, and every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${PEOPLESEG_SHARED:-../shared}"
image="${2:-$shared/data/coco-person/images/000000568290.jpg}"
duration="${DURATION:-20}"; levels="${LEVELS:-1 2 8 32}"; soak="${SOAK:-0}"; spin=""; [ "${SPIN:-0}" = 1 ] && spin="--spin"
serve_args=()
[ -n "${INSTANCES:-}" ] && serve_args+=(--instances "$INSTANCES")
[ -n "${THREADS:-}" ] && serve_args+=(--threads "$THREADS")
[ -n "${MAX_QUEUE:-}" ] && serve_args+=(--max-queue "$MAX_QUEUE")
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

bench_threads="${BENCH_THREADS:-${THREADS:-$(nproc)}}"
bench=$(bin/peopleseg bench --model "$work/models/people.onnx" --input "$image" --threads "$bench_threads" --warmup 3 \
  --iterations 30 --json)
single=$(python3 -c 'import json,sys; print("%.2f" % (1000 / json.loads(sys.argv[1])["latency_ms"]["total"]["median"]))' "$bench")
echo "bench single stream: $single images/s (median of 30, $bench_threads threads, decoded image reused)"

port=$((20000 + RANDOM % 20000))
bin/peopleseg serve --models "$work/models" --port "$port" --grpc-port -1 ${serve_args[@]+"${serve_args[@]}"} $spin \
  >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
url="http://127.0.0.1:$port/v1/segment?model=people"
export IMAGE="$image"
jpid() { pgrep -P "$pid" java || echo "$pid"; }
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$(jpid)/status" 2>/dev/null || echo "?"; }
cputicks() { awk '{print $14 + $15}' "/proc/$(jpid)/stat"; }
metrics() { curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^nv_inference_(request_success|queue_duration_us|compute_input_duration_us|compute_infer_duration_us)\{model="people"' | tr '\n' ';'; }
wrk -t 1 -c 1 -d 5 -s tools/bench/serve_post.lua "$url" >/dev/null   # warm-up
echo "server (serve ${serve_args[*]:-with its defaults}${spin:+ --spin}): $(grep -m1 '^Each model' "$work/serve.out" || echo '?')"
echo "RSS after warm-up $(rss) MB"
printf '%-11s %10s %9s %9s %9s %8s %6s %11s %5s %5s  %s\n' concurrency "images/s" "vs bench" "p50 ms" "p99 ms" "non-2xx" \
  errors "cpu ms/img" cores load "ms/img: queue decode infer"
for c in $levels; do
  t=$(( c < 2 ? 1 : 2 ))
  load=$(cut -d' ' -f1 /proc/loadavg); m0=$(metrics); cpu0=$(cputicks)
  out=$(wrk -t "$t" -c "$c" -d "$duration" --timeout 60s --latency -s tools/bench/serve_post.lua "$url")
  cpu1=$(cputicks); m1=$(metrics)
  python3 - "$c" "$single" "$out" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)" "$load" "$m0" "$m1" <<'PY'
import re, sys
c, single, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
ticks, hz, load = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def parse(m):
    return {k: float(v) for k, v in re.findall(r"^(\w+)\{[^}]*\} ([\d.eE+]+)", m.replace(";", "\n"), re.M)}
m0, m1 = parse(sys.argv[7]), parse(sys.argv[8])
d = {k: m1.get(k, 0) - m0.get(k, 0) for k in m1}
n = max(d.get("nv_inference_request_success", 0), 1)
stages = " ".join(f"{d.get('nv_inference_' + k + '_duration_us', 0) / n / 1000:6.1f}"
                  for k in ("queue", "compute_input", "compute_infer"))
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
total = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
line = m.group(0).strip() if (m := re.search(r"Socket errors:.*", out)) else ""
errors = sum(int(x) for x in re.findall(r"\d+", line))
secs = float(re.search(r"requests in ([\d.]+)s", out).group(1))
ok = (total - non2xx) / secs
print(f"{c:<11} {ok:10.2f} {100 * ok / single:8.0f}% {ms('50%'):9.0f} {ms('99%'):9.0f} {non2xx:8d} {errors:>6} "
      f"{1000 * ticks / hz / max(total - non2xx, 1):11.1f} {ticks / hz / secs:5.2f} {load:>5}  {stages}"
      + (f"  ({line})" if errors else ""))
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
