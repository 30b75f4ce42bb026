#!/usr/bin/env bash
# fuzz.sh: a fuzzing campaign (docs/fuzzing.md): builds the libFuzzer targets of testbenches/fuzz with clang into
# build-fuzz/, runs each for SECONDS (default 600) from its seed corpus, and adds the inputs that reached new
# coverage to the repository's corpus (testbenches/fuzz/corpus/TARGET, merged with -merge=1 so only inputs with new
# features are kept). Prints one line per target: executions, coverage, corpus size, crashes.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: capi qtest replay lockstep_replay bench_args; default all)
# Environment: FUZZ_PARALLEL (targets at a time, default: the number of CPUs), FUZZ_NO_MERGE=1 (leave the corpus).
# Exit status: 0 no crash, 1 a target crashed (its input is in build-fuzz/crashes/), 2 bad usage or no clang.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
case $secs in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2;; esac
shift || true
all=(capi qtest replay lockstep_replay bench_args)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (${all[*]})" >&2; exit 2; }
done
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
"$root/scripts/setup.sh"
b="$root/build-fuzz"
cmake -S "$root/testbenches/fuzz" -B "$b" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$b" >/dev/null
mkdir -p "$b/crashes" "$b/logs"
start="$b/logs/.campaign-start"  # crashes are the artifacts written after this, not those of earlier campaigns
touch "$start"
declare -A maxlen=([capi]=4096 [qtest]=8192 [replay]=16384 [lockstep_replay]=8192 [bench_args]=1024)

run_one() {
  local t=$1 inputs="$b/inputs/$1" log="$b/logs/$1.log"
  mkdir -p "$inputs"
  "$b/fuzz_$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=4096 -close_fd_mask=3 -print_final_stats=1 \
    -max_len="${maxlen[$t]}" -artifact_prefix="$b/crashes/$t-" "$inputs" "$root/testbenches/fuzz/corpus/$t" > "$log" 2>&1
}

par=${FUZZ_PARALLEL:-$(nproc)}
pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n || true; done
done
status=0
for i in "${!pids[@]}"; do wait "${pids[$i]}" || status=1; done

for t in "${targets[@]}"; do
  log="$b/logs/$t.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  crashes=$(find "$b/crashes" -name "$t-*" -newer "$start" | wc -l)
  if [ "${FUZZ_NO_MERGE:-0}" != 1 ] && [ "$crashes" = 0 ]; then
    "$b/fuzz_$t" -merge=1 -close_fd_mask=3 -max_len="${maxlen[$t]}" "$root/testbenches/fuzz/corpus/$t" "$b/inputs/$t" \
      > "$b/logs/$t.merge.log" 2>&1 || true
  fi
  n=$(ls "$root/testbenches/fuzz/corpus/$t" | wc -l)
  echo "fuzz $t: ${secs} s, ${runs:-?} executions, ${cov:-no coverage line}, corpus $n files, $crashes crashes (log: $log)"
done
exit $status
