#!/bin/sh
# progress_tests.sh GICSIM TRACE ALLOW: the progress line of bench, sweep and replay (tools/progress.h).
# It appears on a terminal's stderr (a pseudo-terminal made by script(1)), never with --quiet and never when stderr
# is not a terminal. GICSIM_PROGRESS_AFTER=0 shows it at once, so the runs can be short.
set -u
G=$1 TRACE=$2 ALLOW=$3
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export GICSIM_PROGRESS_AFTER=0
on_tty() { script -qec "$1" /dev/null >"$T/out" 2>&1 </dev/null || fail "script: $1"; tr '\r' '\n' <"$T/out" >"$T/lines"; }

# bench: jobs done of the total, a rate and the time; the last state is complete (12 of 12 jobs at --gic v3).
on_tty "$G bench --gic v3 --runs 5 -j 1"
grep -aq 'gicsim bench \[' "$T/lines" || fail "bench: no progress line on a terminal"
grep -aEq '12/12 jobs, [0-9.]+ ?[kM]? jobs/s, [0-9]+ s' "$T/lines" || fail "bench: no final 12/12 line"
on_tty "$G bench --gic v3 --runs 5 -j 1 --quiet"
grep -aq 'jobs/s' "$T/lines" && fail "bench --quiet drew a progress line"
"$G" bench --gic v3 --runs 5 -j 1 >/dev/null 2>"$T/err" || fail "bench without a terminal"
# (the sanitizer build's runtime may write its own warnings there: only a progress line is looked for)
grep -aqE 'gicsim bench \[|jobs/s' "$T/err" && fail "bench drew a progress line on a stderr that is not a terminal"

# sweep: one line per point.
on_tty "$G sweep --lrs 1,2 --gic v3 --policy lazy --runs 2 -j 1 --out $T/sw"
grep -aEq 'gicsim sweep \[.*\] 2/2 jobs' "$T/lines" || fail "sweep: no progress line on a terminal"
on_tty "$G sweep --lrs 1,2 --gic v3 --policy lazy --runs 2 -j 1 --out $T/sw --quiet"
grep -aq 'jobs/s' "$T/lines" && fail "sweep --quiet drew a progress line"

# replay: trace lines.
on_tty "$G replay $TRACE --allow $ALLOW"
grep -aEq 'gicsim replay \[.*\] ([0-9]+)/\1 lines' "$T/lines" || fail "replay: no final progress line on a terminal"
on_tty "$G replay $TRACE --allow $ALLOW --quiet"
grep -aq 'lines/s' "$T/lines" && fail "replay --quiet drew a progress line"
"$G" replay "$TRACE" --allow "$ALLOW" >/dev/null 2>"$T/err" || fail "replay without a terminal"
grep -aqE 'gicsim replay \[|lines/s' "$T/err" && fail "replay drew a progress line on a stderr that is not a terminal"
echo "progress line: shown on a terminal, not with --quiet, not without a terminal (bench, sweep, replay)"
