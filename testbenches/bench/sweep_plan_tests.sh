#!/bin/sh
# sweep_plan_tests.sh GICSIM: gicsim sweep --plan / --point / --merge (docs/benchmark.md, "Sweeps beyond one
# machine"): the plan's commands run by GNU parallel, then merged, give the same CSV and HTML as the same sweep run
# in one process; the refusals are one line and exit status 2.
set -u
G=$1
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
fail() { echo "FAIL: $*"; exit 1; }
GRID="--lrs 1,2 --bus-latency 10,30 --gic v2,v3 --policy lazy,none --runs 4"

"$G" sweep $GRID --out plan-out --plan plan.txt >plan.log || fail "--plan: status $?"
[ "$(grep -vc '^#' plan.txt)" = 16 ] || fail "the plan has $(grep -vc '^#' plan.txt) commands, not 16"
grep -q -- '--point 15$' plan.txt || fail "no command for point 15"
[ -f plan-out/sweep.args ] || fail "no plan-out/sweep.args"
ls plan-out/*.result >/dev/null 2>&1 && fail "--plan ran points"
grep -v '^#' plan.txt | parallel --will-cite -j 2 --halt now,fail=1 || fail "a planned point failed under GNU parallel"
[ "$(ls plan-out/*.result | wc -l)" = 16 ] || fail "not 16 point results"
"$G" sweep --merge plan-out >merge.log || fail "--merge: status $?"
"$G" sweep $GRID --out one --quiet >one.log || fail "in-process sweep: status $?"
cmp plan-out/sweep.csv one/sweep.csv || fail "merged CSV differs from the in-process sweep"
sed "s#$T/plan-out/sweep.csv#CSV#" plan-out/sweep.html >a.html
sed "s#one/sweep.csv#CSV#" one/sweep.html >b.html
cmp a.html b.html || fail "merged HTML differs from the in-process sweep"

# A point run alone: the printed command, from another directory.
mkdir elsewhere && cd elsewhere || exit 2
sh -c "$(grep -- '--point 3$' ../plan.txt)" || fail "point 3 alone"
cd .. || exit 2

# Refusals: one line on stderr, status 2.
refuse() { # refuse WHAT CMD...
    what=$1; shift
    "$@" >/dev/null 2>err.txt; st=$?
    [ $st = 2 ] || fail "$what: status $st, not 2"
    [ "$(wc -l <err.txt)" = 1 ] || fail "$what: not one line: $(cat err.txt)"
}
rm plan-out/point-7.result
refuse "merge with a point missing" "$G" sweep --merge plan-out
refuse "--point beyond the grid" "$G" sweep $GRID --out plan-out --point 16
refuse "--merge with another option" "$G" sweep --merge plan-out --runs 3
refuse "--merge of a directory without a plan" "$G" sweep --merge one
refuse "--plan with --csv" "$G" sweep $GRID --plan p2.txt --csv x.csv
refuse "--plan and --point" "$G" sweep $GRID --plan p2.txt --point 1
echo "not a result" >plan-out/point-7.result
refuse "merge with a damaged point" "$G" sweep --merge plan-out
echo "sweep plan/point/merge: 16 points under GNU parallel equal the in-process sweep; refusals exit 2"
