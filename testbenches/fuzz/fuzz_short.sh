#!/bin/sh
# fuzz_short.sh: one target's short run for CTest (label fuzz): every seed of its corpus plus new inputs up to RUNS
# executions in all, fixed seed, so the run is the same each time. New inputs go to a scratch directory, never into
# the repository's corpus (scripts/fuzz.sh does that). Exit status: libFuzzer's (0, or non-zero with the crashing
# input saved as WORKDIR/crash-*; docs/fuzzing.md says how to minimise it and keep it as a regression test).
# Usage: fuzz_short.sh TARGET_BINARY CORPUS_DIR RUNS WORKDIR
set -eu
bin=$1; corpus=$2; runs=$3; work=$4
rm -rf "$work"
mkdir -p "$work/new"
# detect_leaks stays on; abort_on_error makes libFuzzer's crash handler the one that reports.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
exec "$bin" -runs="$runs" -seed=1 -timeout=60 -rss_limit_mb=3072 -close_fd_mask=3 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/new" "$corpus"
