#!/bin/sh
# vcd_cli_tests.sh: --vcd FILE, --vcd-from N, --vcd-to N of gicsim run, replay, bench and demo (docs/cli.md,
# "Waveforms"). Usage: vcd_cli_tests.sh GICSIM SRCDIR WORKDIR MODE
#   write:       each command writes a VCD that reads back (vcd_compare.py against itself) with the RTL's top signals,
#                and a window starts with $dumpvars at --vcd-from and ends at --vcd-to
#   bad_values:  a value that is not a cycle number, --vcd-from after --vcd-to, a window without --vcd, --vcd without
#                a file, a file in a missing directory, --vcd with --model rtl: exit 2 and one stderr line, each command
#   full_device: --vcd /dev/full: exit 2, one line "gicsim: cannot write /dev/full: ...", never a false success
#   one_job:     gicsim bench --vcd selecting more than one job: exit 2, one line
set -u
g=$1; src=$2; dir=$3; mode=$4
rm -rf "$dir"; mkdir -p "$dir" || exit 1
fails=0
cmp="/usr/bin/python3 $src/testbenches/rtl/vcd_compare.py"
trace=$src/testbenches/linux/traces/boot-v2.trace.xz
printf 'wr GICD_CTLR 0x3\nspi 40 1\nstep 20\nrd GICD_ISPENDR1\nspi 40 0\nstep 30\n' > "$dir/t.gsim"
one="--gic v3 --trigger edge --eoimode 0 --policy lazy --runs 1 --quiet"

# The four commands with their own arguments; $1 is the waveform options.
cmd_run() { "$g" run "$dir/t.gsim" "$@"; }
cmd_demo() { "$g" demo --gic v3 "$@"; }
cmd_replay() { "$g" replay "$trace" --quiet "$@"; }
# shellcheck disable=SC2086
cmd_bench() { "$g" bench $one "$@"; }

# expect CODE PATTERN CMD...: exit status CODE and one stderr line (testbenches/expect_exit.sh)
. "$(dirname "$0")/../expect_exit.sh"

case $mode in
write)
    for c in run demo replay bench; do
        f="$dir/$c.vcd"
        if ! "cmd_$c" --vcd "$f" > "$dir/out" 2> "$dir/err"; then
            echo "FAIL: $c --vcd: exit $?"; sed 's/^/    /' "$dir/err"; fails=$((fails + 1)); continue
        fi
        if ! $cmp "$f" "$f" > "$dir/cmp" 2>&1 || ! grep -q ' irq \[0:0\]\| irq \[1:0\]' "$f" \
            || ! grep -q 'scope module g_cpu\[0\]' "$f" || ! grep -q 'lr_q\[0\] \[63:0\]' "$f"; then
            echo "FAIL: $c: $f does not read back with the RTL's signals:"; sed 's/^/    /' "$dir/cmp"; fails=$((fails + 1))
        else
            echo "ok: $c --vcd: $(tail -1 "$dir/cmp")"
        fi
        w="$dir/$c-window.vcd"
        "cmd_$c" --vcd "$w" --vcd-from 20 --vcd-to 40 > "$dir/out" 2> "$dir/err"
        first=$(grep -m1 '^#' "$w"); last=$(grep '^#' "$w" | tail -1)
        after=$(grep -A1 -m1 '^#' "$w" | tail -1)
        if [ "$first" != "#20" ] || [ "$last" != "#40" ] || [ "$after" != '$dumpvars' ]; then
            echo "FAIL: $c --vcd-from 20 --vcd-to 40: times $first..$last, '$after' after the first"; fails=$((fails + 1))
        else
            echo "ok: $c window: $first \$dumpvars .. $last"
        fi
    done
    ;;
bad_values)
    for c in run demo replay bench; do
        expect 2 "^gicsim: --vcd-from takes a cycle number" "cmd_$c" --vcd "$dir/x.vcd" --vcd-from abc
        expect 2 "^gicsim: --vcd-to takes a cycle number" "cmd_$c" --vcd "$dir/x.vcd" --vcd-to 12x
        expect 2 "^gicsim: --vcd-from takes a cycle number" "cmd_$c" --vcd "$dir/x.vcd" --vcd-from -1
        expect 2 "^gicsim: --vcd-to takes a cycle number up to 2\^63" "cmd_$c" --vcd "$dir/x.vcd" --vcd-to 9223372036854775809
        expect 2 "^gicsim: --vcd-from 9 is after --vcd-to 3" "cmd_$c" --vcd "$dir/x.vcd" --vcd-from 9 --vcd-to 3
        expect 2 "^gicsim: --vcd-from and --vcd-to go with --vcd" "cmd_$c" --vcd-from 3
        expect 2 "^gicsim: (--vcd needs a value|option --vcd needs a value)" "cmd_$c" --vcd
        expect 2 "^gicsim: cannot write $dir/no-such-dir/x.vcd: No such file or directory" \
            "cmd_$c" --vcd "$dir/no-such-dir/x.vcd"
    done
    expect 2 "^gicsim: --vcd writes the C kernels' waveform" cmd_replay --vcd "$dir/x.vcd" --model rtl
    expect 2 "^gicsim: --vcd writes the C kernels' waveform" cmd_bench --vcd "$dir/x.vcd" --model rtl
    ;;
full_device)
    for c in run demo replay bench; do
        expect 2 "^gicsim: cannot write /dev/full: No space left on device$" "cmd_$c" --vcd /dev/full
    done
    ;;
one_job)
    expect 2 "^gicsim: --vcd needs exactly one job .*not 24" "$g" bench --runs 1 --vcd "$dir/x.vcd"
    expect 2 "^gicsim: --vcd needs exactly one job .*not 2" "$g" bench $one --policy lazy,eager --vcd "$dir/x.vcd"
    [ -e "$dir/x.vcd" ] && { echo "FAIL: a refused bench wrote $dir/x.vcd"; fails=$((fails + 1)); }
    ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
[ $fails = 0 ] && echo "passed" || echo "$fails failed"
[ $fails = 0 ]
