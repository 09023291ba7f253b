#!/usr/bin/env bash
# Fuzzes one target for a set time (README "Fuzzing"):  tools/fuzz/run.sh TARGET [SECONDS]   (default 600)
#   TARGET  Module:Class#method, e.g. models:TorchCheckpointFuzzTest#pickle; `tools/fuzz/run.sh list` lists them.
# A crash leaves its input in the test's src/test/resources/.../<Class>Inputs/<method>/ folder (replayed by every
# `mvn verify` from then on: fix the reader, keep the file); the growing corpus is <module>/.cifuzz-corpus/ (ignored
# by git). Environment:
#   FUZZ_TIMEOUT=N     per-input limit in wall-clock seconds (default 1); on a loaded shared machine a higher one
#                      avoids false timeouts (a timeout input is then replayed alone by `mvn verify` to time it)
#   FUZZ_KEEP_GOING=N  go on until N distinct findings (default 1: stop at the first)
# Runs under nice; libFuzzer's statistics end the log ("Done N runs in S second(s)").
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${1:-}" == "list" || $# -lt 1 ]]; then
  grep -rl --include='*FuzzTest.java' '@FuzzTest' */src/test/java | while read -r f; do
    module=${f%%/*}; class=$(basename "$f" .java)
    grep -A1 '@FuzzTest' "$f" | grep -oE 'void [a-zA-Z]+' | sed "s/void /$module:$class#/"
  done
  exit 0
fi
target=$1; seconds=${2:-600}
module=${target%%:*}; test=${target#*:}
# its own build folder (target-fuzz), so that a campaign and a normal build of the same tree can run side by side
exec nice -n 19 mvn -B -Pfuzz -pl "$module" -am verify -Dfuzz.seconds="$seconds" -Dfuzz.timeout="${FUZZ_TIMEOUT:-1}" -Dfuzz.keepGoing="${FUZZ_KEEP_GOING:-1}" -Dtest="$test" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dpeopleseg.target="${PEOPLESEG_FUZZ_TARGET:-target-fuzz}"
