#!/bin/sh
# test_vcd_c_vs_rtl.sh: the C kernels' waveform (gicsim/gic_vcd.h, written through gicsim_lockstep --vcd-c) against the
# RTL's (--vcd) of the same lock-step run: every signal of the C waveform, value change by value change
# (vcd_compare.py; docs/waveforms.md, "C against RTL").
# Usage: test_vcd_c_vs_rtl.sh LOCKSTEP WORKDIR MODE ARGS...
#   directed VARIANT              every directed scenario of the variant's GIC version, each compared in full
#   random VARIANT SEED CYCLES    seeded random stimulus (with resets); the maintenance PPI's wire bits of
#                                 ppi_lvl/ppi_rise are left out (docs/waveforms.md: its changes while MAINT is high are
#                                 in no trace of the C kernels)
#   window VARIANT SEED CYCLES FROM TO   the same in a window (--vcd-from/--vcd-to on both sides)
#   mutated                       the comparison can fail: a C waveform with one value edited, one with a change moved
#                                 by a cycle, and one without a signal are each reported as different (exit 1)
#   full_device                   --vcd-c /dev/full: exit 2, one stderr line naming it
#   bench GICSIM                  gicsim bench --vcd (the platform's C kernels behind gicsim::Gic) of one GICv3 and one
#                                 GICv2 job against the RTL's waveform of the job's recorded stimuli replayed in lock-step
set -u
ls=$1; dir=$2; mode=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
cmp="/usr/bin/python3 $here/vcd_compare.py"
rm -rf "$dir"; mkdir -p "$dir" || exit 1
fails=0

# same NAME LOCKSTEP-ARGS... [-- COMPARE-ARGS...]: the run passes and both waveforms agree
same() {
    name=$1; shift
    largs=""; cargs=""; seen=0
    for a in "$@"; do
        if [ "$a" = "--" ]; then seen=1; continue; fi
        if [ $seen = 0 ]; then largs="$largs $a"; else cargs="$cargs $a"; fi
    done
    # shellcheck disable=SC2086
    if ! "$ls" $largs --vcd "$dir/rtl.vcd" --vcd-c "$dir/c.vcd" > "$dir/run.out" 2>&1; then
        echo "FAIL: $name: gicsim_lockstep$largs"; sed 's/^/    /' "$dir/run.out"; fails=$((fails + 1)); return
    fi
    # shellcheck disable=SC2086
    if $cmp "$dir/c.vcd" "$dir/rtl.vcd" $cargs > "$dir/cmp.out" 2>&1; then
        echo "ok: $name: $(tail -1 "$dir/cmp.out")"
    else
        echo "FAIL: $name: the C and RTL waveforms differ:"; sed 's/^/    /' "$dir/cmp.out"; fails=$((fails + 1))
    fi
}

# the maintenance PPI (25) of each of CPUS CPUs in ppi_lvl/ppi_rise (bit 16k + 9)
maint_bits() {
    bits=""; k=0
    while [ $k -lt "$1" ]; do bits="$bits${bits:+,}$((16 * k + 9))"; k=$((k + 1)); done
    echo "--ignore-bits TOP.gic_top.ppi_lvl:$bits --ignore-bits TOP.gic_top.ppi_rise:$bits"
}
cpus_of() { "$ls" --list | sed -n "s/^rtl $1: GICv[23], \([0-9]*\) CPUs.*/\1/p"; }

# expect_diff NAME FILE: the comparison of FILE with the RTL waveform must report a difference (exit 1)
expect_diff() {
    $cmp "$2" "$dir/rtl.vcd" > "$dir/cmp.out" 2>&1
    rc=$?
    if [ $rc = 1 ] && grep -q "^DIFFERENT" "$dir/cmp.out"; then
        echo "ok: $1 reported: $(head -1 "$dir/cmp.out")"
    else
        echo "FAIL: $1: exit $rc, expected 1 with DIFFERENT:"; sed 's/^/    /' "$dir/cmp.out"; fails=$((fails + 1))
    fi
}

case $mode in
directed)
    var=$1
    ver=$("$ls" --list | sed -n "s/^rtl $var: GICv\([23]\),.*/\1/p")
    if [ "$ver" = 2 ]; then scen=$("$ls" --list | sed -n 's/^scenario \(.*\) (GICv2)$/\1/p')
    else scen=$("$ls" --list | grep '^scenario' | grep -v GICv2 | sed 's/^scenario //'); fi
    [ -n "$scen" ] || { echo "FAIL: no scenarios for $var"; exit 1; }
    for s in $scen; do same "$var $s" --rtl "$var" --scenario "$s"; done
    ;;
random)
    same "$1 seed $2" --rtl "$1" --seed "$2" --cycles "$3" -- $(maint_bits "$(cpus_of "$1")")
    ;;
window)
    same "$1 seed $2 cycles $4..$5" --rtl "$1" --seed "$2" --cycles "$3" --vcd-from "$4" --vcd-to "$5" \
        -- $(maint_bits "$(cpus_of "$1")")
    first=$(grep -m1 '^#' "$dir/c.vcd"); last=$(grep '^#' "$dir/c.vcd" | tail -1)
    if [ "$first" != "#$4" ] || [ "$last" != "#$5" ] || ! grep -q '^\$dumpvars' "$dir/c.vcd"; then
        echo "FAIL: the C waveform's window is $first..$last (expected #$4..#$5, with \$dumpvars)"; fails=$((fails + 1))
    fi
    ;;
mutated)
    same "c2s64l4 hw_lr (unedited)" --rtl c2s64l4 --scenario hw_lr
    c="$dir/c.vcd"
    # a value edited: the first change of virq after $dumpvars, 1 written as 0 (scalar vectors: b01 -> b00)
    id=$(sed -n 's/^\$var wire [0-9]* \([^ ]*\) virq .*/\1/p' "$c")
    awk -v id="$id" 'BEGIN{done=0} /^\$end/{body=1} { if (body && !done && $2 == id && $1 ~ /^b/ && $1 != "b0") \
        { print "b0 " id; done=1; next } print }' "$c" > "$dir/edited.vcd"
    if cmp -s "$c" "$dir/edited.vcd"; then echo "FAIL: the edit changed nothing"; fails=$((fails + 1)); fi
    expect_diff "a virq change written as 0" "$dir/edited.vcd"
    # a time moved: the last time stamp before the end, one cycle later
    t=$(grep '^#' "$c" | tail -2 | head -1 | tr -d '#')
    sed "s/^#$t\$/#$((t + 1))/" "$c" > "$dir/moved.vcd"
    expect_diff "the changes of cycle $t moved to $((t + 1))" "$dir/moved.vcd"
    # a signal missing from the RTL's side: the C waveform declares one the RTL does not have
    sed 's/ offv_q \$end/ offv_gone $end/' "$c" > "$dir/renamed.vcd"
    expect_diff "a signal the RTL does not have" "$dir/renamed.vcd"
    ;;
full_device)
    "$ls" --scenario spi --vcd-c /dev/full > "$dir/out" 2> "$dir/err"
    rc=$?
    if [ $rc = 2 ] && [ "$(wc -l < "$dir/err")" = 1 ] && grep -q '/dev/full: cannot write the waveform: ' "$dir/err"; then
        echo "ok: exit 2: $(cat "$dir/err")"
    else
        echo "FAIL: --vcd-c /dev/full: exit $rc, stderr:"; sed 's/^/    /' "$dir/err"; fails=$((fails + 1))
    fi
    ;;
bench)
    gs=$1
    for job in "v3 level 1 lazy" "v2 edge 0 eager"; do
        set -- $job
        if ! "$gs" bench --gic "$1" --trigger "$2" --eoimode "$3" --policy "$4" --runs 2 --quiet --vcd "$dir/bench.vcd" \
            --record-gic "$dir/b" > "$dir/bench.out" 2>&1; then
            echo "FAIL: gicsim bench $job:"; sed 's/^/    /' "$dir/bench.out"; fails=$((fails + 1)); continue
        fi
        if ! "$ls" --replay "$dir/b-$1-$2-eoimode$3-$4.stim" --vcd "$dir/rtl.vcd" > "$dir/run.out" 2>&1; then
            echo "FAIL: replay of $job:"; sed 's/^/    /' "$dir/run.out"; fails=$((fails + 1)); continue
        fi
        if $cmp "$dir/bench.vcd" "$dir/rtl.vcd" > "$dir/cmp.out" 2>&1; then
            echo "ok: bench $job: $(tail -1 "$dir/cmp.out")"
        else
            echo "FAIL: bench $job: the waveforms differ:"; sed 's/^/    /' "$dir/cmp.out"; fails=$((fails + 1))
        fi
    done
    ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
[ $fails = 0 ] && echo "passed" || echo "$fails failed"
[ $fails = 0 ]
