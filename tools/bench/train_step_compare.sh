#!/usr/bin/env bash
# Side by side, in one run: the Mask R-CNN training step of peopleseg (DJL + libtorch, tcmalloc preloaded) and of
# torchvision 0.14 (Debian's torch), same architecture (ResNet-50-FPN, FrozenBN, conv1 + layer1 frozen), same
# deterministic weights, same synthetic scene, batch 1, same thread count; rounds alternate the two so machine
# noise hits both. Prints per-round medians and the ratio of the medians over all rounds.
#   tools/bench/train_step_compare.sh [WIDTH] [HEIGHT] [THREADS] [STEPS] [ROUNDS] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/../.."
width="${1:-960}"; height="${2:-576}"; threads="${3:-2}"; steps="${4:-5}"; rounds="${5:-2}"; warmup="${6:-2}"
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -f "$tcmalloc" ] || { echo "tcmalloc not installed (apt-get install libtcmalloc-minimal4): peopleseg would run ~30% slower" >&2; exit 2; }
mvn -B -q -o -pl train -am test-compile >/dev/null
cpfile="$(mktemp)"
mvn -B -q -o -pl train dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
# the modules' own classes, never the peopleseg SNAPSHOT jars another branch may have installed in ~/.m2
deps="$(tr ':' '\n' < "$cpfile" | grep -v '/org/peopleseg/' | paste -sd: -)"
cp="train/target/test-classes:train/target/classes:models/target/classes:runtime/target/classes:core/target/classes:$deps"
rm -f "$cpfile"
results=()
for r in $(seq 1 "$rounds"); do
  results+=("$(LD_PRELOAD="$tcmalloc" java -Xmx4g -Dpeopleseg.train.threads="$threads" -cp "$cp" \
      org.peopleseg.train.net.maskrcnn.TrainStepBench "$width" "$height" "$steps" "$warmup" 2>&2 | tail -1)")
  results+=("$(/usr/bin/python3 tools/bench/train_step_torchvision.py --threads "$threads" --width "$width" \
      --height "$height" --steps "$steps" --warmup "$warmup" | tail -1)")
done
python3 - "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
ours = [s for r in runs if r["impl"].startswith("peopleseg") for s in r["steps_s"]]
theirs = [s for r in runs if r["impl"].startswith("torchvision") for s in r["steps_s"]]
for r in runs:
    print(f"{r['impl']:<45} median {r['median_s']:.3f} s/step  RSS {r['rss_mb'][0]:.0f} -> {r['rss_mb'][-1]:.0f} MB")
o, t = statistics.median(ours), statistics.median(theirs)
print(f"all rounds: peopleseg {o:.3f} s/step, torchvision {t:.3f} s/step: peopleseg is {t / o:.2f}x as fast")
PY
