#!/bin/sh
# test_lockstep_robust.sh: gicsim_lockstep refuses what it cannot run faithfully (docs/rtl.md "Replaying a
# platform", limits and exit statuses). Usage: test_lockstep_robust.sh LOCKSTEP MODE WORKDIR
#   bad_fields: recordings made from a good hand-written one with one field spoiled: each exit 2, one stderr line FILE:LINE
#   end_limit:  an end cycle beyond --max-cycles (the default 10^9, and a given one): exit 2, one line FILE:LINE
#   cycles:     --cycles/--max-cycles values that are not whole numbers: exit 2
#   full_stdout: a standard output that cannot be written (/dev/full): exit 2, one line naming it
#   vcd:        --vcd into a directory that does not exist: exit 2, one line naming the file, no file
set -u
ls=$1; mode=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir" || exit 1
fails=0
good="$dir/good.rec"
cat > "$good" <<'REC'
# gicsim stimulus v1 (hand-written, c2s64l4)
config cpus=2 spis=64 lrs=4 one_of_n=0
3 access 0 1 4 0 0x0 0x3
5 spi 40 1
7 ppi 1 27 1
9 access 0 0 4 0 0x0 0x0
12 spi 40 0
20 end
REC

# expect CODE PATTERN CMD...: exit status CODE and one stderr line (testbenches/expect_exit.sh)
. "$(dirname "$0")/../expect_exit.sh"

# bad NAME LINE SED-EXPRESSION: the good recording spoiled by the sed expression must be refused at LINE
bad() {
    f="$dir/$1.rec"
    sed "$3" "$good" > "$f"
    if cmp -s "$f" "$good"; then echo "FAIL: $1: the edit changed nothing"; fails=$((fails + 1)); return; fi
    expect 2 "^gicsim_lockstep: $f:$2: " "$ls" --replay "$f"
}

# the good recording replays without divergence (else the refusals below would prove nothing)
"$ls" --replay "$good" > "$dir/good.out" 2>&1 || { echo "FAIL: the good recording: exit $?"; cat "$dir/good.out"; exit 1; }

case $mode in
bad_fields)
    bad end_huge       8 's/^20 end$/1000000000000 end/'
    bad end_minus1     8 's/^20 end$/-1 end/'
    bad end_trailing   8 's/^20 end$/20 end x/'
    bad cycle_junk     3 's/^3 access/3x access/'
    bad cycle_back     4 's/^5 spi/2 spi/'
    bad offset_zz      3 's/ 0x0 0x3$/ zz 0x3/'
    bad offset_33bit   3 's/ 0x0 0x3$/ 0x100000000 0x3/'
    bad data_1e9junk   3 's/ 0x0 0x3$/ 0x0 1e9junk/'
    bad data_65bit     3 's/ 0x0 0x3$/ 0x0 0x10000000000000000/'
    bad access_trail   3 's/ 0x0 0x3$/ 0x0 0x3 junk/'
    bad access_short   3 's/ 0x0 0x3$/ 0x0/'
    bad frame          3 's/^3 access 0 /3 access 8 /'
    bad write          3 's/^3 access 0 1 /3 access 0 2 /'
    bad size           3 's/^3 access 0 1 4 /3 access 0 1 3 /'
    bad cpu            3 's/^3 access 0 1 4 0 /3 access 0 1 4 2 /'
    bad cpu_neg        3 's/^3 access 0 1 4 0 /3 access 0 1 4 -1 /'
    bad spi_low        4 's/^5 spi 40 1$/5 spi 31 1/'
    bad spi_high       4 's/^5 spi 40 1$/5 spi 96 1/'
    bad spi_level      4 's/^5 spi 40 1$/5 spi 40 2/'
    bad spi_trail      4 's/^5 spi 40 1$/5 spi 40 1 1/'
    bad ppi_intid      5 's/^7 ppi 1 27 1$/7 ppi 1 32 1/'
    bad ppi_cpu        5 's/^7 ppi 1 27 1$/7 ppi 2 27 1/'
    bad ppi_level      5 's/^7 ppi 1 27 1$/7 ppi 1 27 1x/'
    bad config_junk    2 's/^config cpus=2 /config cpus=2x /'
    bad config_trail   2 's/one_of_n=0$/one_of_n=0 extra/'
    bad config_n1      2 's/one_of_n=0$/one_of_n=2/'
    ;;
end_limit)
    bad end_beyond_default 8 's/^20 end$/1000000001 end/'
    expect 2 "^gicsim_lockstep: $good:8: .*beyond" "$ls" --replay "$good" --max-cycles 19
    "$ls" --replay "$good" --max-cycles 20 > /dev/null 2>&1 || { echo "FAIL: end 20 within --max-cycles 20 refused"; fails=$((fails + 1)); }
    ;;
cycles)
    expect 2 "--cycles '1x'" "$ls" --cycles 1x
    expect 2 "--cycles '-1'" "$ls" --cycles -1
    expect 2 "--max-cycles" "$ls" --replay "$good" --max-cycles 10junk
    expect 2 "--cycles .*beyond --max-cycles" "$ls" --cycles 2000 --max-cycles 1000
    ;;
full_stdout)
    expect 2 "standard output" sh -c "exec \"\$0\" --replay \"\$1\" > /dev/full" "$ls" "$good"
    ;;
vcd)
    expect 2 "$dir/no/such/dir/w.vcd" "$ls" --replay "$good" --vcd "$dir/no/such/dir/w.vcd"
    [ -e "$dir/no/such/dir/w.vcd" ] && { echo "FAIL: a waveform appeared"; fails=$((fails + 1)); }
    # and a writable one is written
    "$ls" --replay "$good" --vcd "$dir/w.vcd" > /dev/null 2>&1 && [ -s "$dir/w.vcd" ] ||
        { echo "FAIL: no waveform in $dir/w.vcd"; fails=$((fails + 1)); }
    ;;
*) echo "unknown mode $mode"; exit 1 ;;
esac
[ "$fails" = 0 ] && echo "all refused as they should be" || echo "$fails failures"
[ "$fails" = 0 ]
