#!/bin/sh
# bench_tests.sh GICSIM CHECKER WORKDIR CASE: the CTest cases of `gicsim bench` / `gicsim sweep`.
set -u
G=$1; C=$2; W=$3; CASE=$4
mkdir -p "$W"
fail() { echo "bench_tests $CASE: $*" >&2; exit 1; }
# Lines on stderr, without AddressSanitizer's notice about SystemC's coroutine stacks (sanitizer builds).
errlines() {
    grep -v -e '^==[0-9]*==WARNING: ASan is ignoring requested __asan_handle_no_return' \
        -e '^False positive error reports may follow' -e '^For details see https://github.com/google/sanitizers/issues/189' \
        "$W/err" | wc -l
}
expect_usage() {  # the command must exit 2 with a one-line reason on stderr
    "$@" >/dev/null 2>"$W/err"; rc=$?
    [ $rc -eq 2 ] || fail "'$*' exited $rc, expected 2"
    [ "$(errlines)" -eq 1 ] || fail "'$*' printed more than one line on stderr"
}
expect_full() {  # standard output on a full device: exit 2 with one line naming it
    "$@" >/dev/full 2>"$W/err"; rc=$?
    [ $rc -eq 2 ] || fail "'$* >/dev/full' exited $rc, expected 2"
    [ "$(errlines)" -eq 1 ] || fail "'$* >/dev/full' printed $(errlines) lines on stderr, expected 1"
    grep -q "^gicsim: cannot write /dev/full: " "$W/err" || fail "'$* >/dev/full': stderr does not name /dev/full: $(cat "$W/err")"
}
expect_named() {  # exit 2 with one line on stderr that contains $1
    want=$1; shift
    expect_usage "$@"
    grep -q -- "$want" "$W/err" || fail "'$*': stderr does not say '$want': $(cat "$W/err")"
}
B1="--gic v2 --trigger edge --eoimode 0 --policy lazy --sequence spend_ack_eoi --runs 2 -j 1"
case $CASE in
schema)
    # One sequence, few runs: every field of docs/benchmark.md "Outputs", values restricted by the options.
    "$G" bench --gic v2 --policy lazy,none --trigger edge --eoimode 1 --sequence spend_ack_eoi --runs 5 \
        --json "$W/schema.json" >/dev/null || fail "bench failed"
    /usr/bin/python3 "$C" "$W/schema.json" --gic v2 --policy lazy,none --trigger edge --eoimode 1 \
        --sequence spend_ack_eoi || exit 1
    "$G" bench --gic v3 --trigger level --eoimode 0 --sequence level_drop --sequence burst --runs 3 \
        --json - >"$W/schema3.json" || fail "bench --json - failed"
    /usr/bin/python3 "$C" "$W/schema3.json" --gic v3 --trigger level --eoimode 0 \
        --policy lazy,eager,none --sequence level_drop,burst || exit 1
    ;;
policies)
    # none shows violations and/or a blocked reassertion; lazy and eager show none (and --strict agrees).
    "$G" bench --sequence spend_ack_eoi,cpend_active,fwd_cpend_reassert,spend_cpend_reassert --runs 10 --strict \
        --json "$W/pol.json" >/dev/null || fail "bench --strict failed"
    /usr/bin/python3 "$C" "$W/pol.json" --policies-contract || exit 1
    "$G" bench --gic v2 --policy none --sequence fwd_cpend_reassert --trigger edge --runs 3 --json "$W/none.json" \
        >/dev/null || fail "bench failed"
    /usr/bin/python3 - "$W/none.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))["results"]
assert len(r) == 2 and all(x["blocked_reasserts"] == x["runs"] == 3 for x in r), r
PY
    ;;
timing)
    # Zero jitter and non-default timing from a config file: the GIC-side segments follow
    # docs/timing.md arithmetic exactly (deact_to_phys = req + hwdeact, ...).
    cat >"$W/timing.conf" <<'CONF'
# zero-jitter configuration
bus_jitter = 0
think_min = 0
think_max = 0
timing = req=3, hwdeact=7, prio=5, deliver=1, out=2, line=3
runs = 4
sequence = spend_ack_eoi, cpend_active, forward_eoi
policy = lazy, eager
CONF
    "$G" bench --config "$W/timing.conf" --json "$W/timing.json" >/dev/null || fail "bench failed"
    /usr/bin/python3 "$C" "$W/timing.json" --timing-check --policy lazy,eager || exit 1
    ;;
models | models_v2)
    # The default sequences (every trigger, EOImode and policy) of GICv3 (models) or GICv2 (models_v2, a GICv2 build
    # of the RTL) on the C kernels and on the Verilated RTL reference (--model rtl): every result row identical
    # (segments' min/median/p99/max, accesses, violations, ignored deactivations, blocked reassertions); only
    # config.model differs.
    v=v3
    [ "$CASE" = models_v2 ] && v=v2
    "$G" bench --gic $v --runs "${RUNS:-100}" --json "$W/c.json" >/dev/null || fail "bench --gic $v failed"
    "$G" bench --model rtl --gic $v --runs "${RUNS:-100}" --json "$W/rtl.json" >/dev/null ||
        fail "bench --model rtl --gic $v failed"
    /usr/bin/python3 - "$W/c.json" "$W/rtl.json" "$v" <<'PY' || exit 1
import json, sys
c, r = (json.load(open(f)) for f in sys.argv[1:3])
assert c["config"].pop("model") == "c" and r["config"].pop("model") == "rtl"
assert c["config"] == r["config"], "configs differ beyond the model"
assert len(c["results"]) == len(r["results"]) > 0
assert all(x["gic"] == sys.argv[3] for x in c["results"]), "not the %s table" % sys.argv[3]
n = 0
for a, b in zip(c["results"], r["results"]):
    assert a == b, "differs:\n C   %s\n RTL %s" % (json.dumps(a), json.dumps(b))
    n += len(a["segments"])
print("bench --gic %s --model c and --model rtl: %d result rows, %d segments, all identical" % (sys.argv[3], len(c["results"]), n))
PY
    [ "$CASE" = models ] && expect_usage "$G" bench --model verilog
    ;;
stories | stories_v2)
    # The benchmark's SPEND/CPEND stories, cycle by cycle: every default job of the version records the stimuli its
    # GIC gets (--record-gic), and the lock-step bridge replays each recording on the C kernels and the RTL (a
    # recording with GICC/GICH/GICV accesses replays on a GICv2 build).
    L=$5
    v=v3 build=c1s256l4
    [ "$CASE" = stories_v2 ] && v=v2 build=v2c1s256l4
    rm -f "$W"/s-*.stim
    "$G" bench --gic $v --runs "${RUNS:-5}" --record-gic "$W/s" >/dev/null || fail "bench --record-gic failed"
    n=0
    for f in "$W"/s-*.stim; do
        "$L" --replay "$f" >"$W/replay.out" || { cat "$W/replay.out"; fail "lock-step replay of $f diverged"; }
        grep -q " on $build: " "$W/replay.out" || { cat "$W/replay.out"; fail "$f did not run on the $build build"; }
        n=$((n + 1))
    done
    [ $n -eq 12 ] || fail "expected 12 recordings (edge/level x EOImode 0/1 x 3 policies), found $n"
    head -n 20 "$W/s-$v-edge-eoimode0-lazy.stim" >"$W/cut.stim"  # no 'end' line: refused
    "$L" --replay "$W/cut.stim" >/dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] || fail "a cut recording must be refused with status 2 (got $rc)"
    echo "bench stories ($v): $n recordings replayed in lock-step without divergence"
    ;;
badopts)
    expect_usage "$G" bench --gic v4
    expect_usage "$G" bench --policy sloppy
    expect_usage "$G" bench --trigger rising
    expect_usage "$G" bench --eoimode 2
    expect_usage "$G" bench --sequence nosuch
    expect_usage "$G" bench --runs 0
    expect_usage "$G" bench --runs many
    expect_usage "$G" bench --timing req=0
    expect_usage "$G" bench --timing bogus=1
    expect_usage "$G" bench --timing req
    expect_usage "$G" bench --lrs 1,4
    expect_usage "$G" bench --frobnicate 1
    expect_usage "$G" bench --runs
    expect_usage "$G" bench --config "$W/does-not-exist.conf"
    printf 'runs = 3\nbus_latncy = 5\n' >"$W/bad.conf"
    expect_usage "$G" bench --config "$W/bad.conf"
    printf 'runs = -3\n' >"$W/bad2.conf"
    expect_usage "$G" bench --config "$W/bad2.conf"
    printf 'just words\n' >"$W/bad3.conf"
    expect_usage "$G" bench --config "$W/bad3.conf"
    expect_usage "$G" bench --gic-mhz 7
    expect_usage "$G" sweep --lrs 0,4
    expect_usage "$G" sweep --bogus 1
    ;;
full_stdout_demo)
    expect_full "$G" demo
    expect_full "$G" demo --gic v3
    ;;
full_stdout_help)
    expect_full "$G" --help
    expect_full "$G" demo --help
    expect_full "$G" bench --help
    expect_full "$G" sweep --help
    ;;
bench_full_device)
    expect_named "cannot write /dev/full: No space left on device" "$G" bench $B1 --json /dev/full
    expect_named "cannot write /dev/full: No space left on device" "$G" bench $B1 --csv /dev/full
    expect_named "cannot write /dev/full: No space left on device" "$G" bench $B1 --html /dev/full
    expect_full "$G" bench $B1 --json -
    expect_full "$G" bench $B1
    ln -sf /dev/full "$W/rec-v2-edge-eoimode0-lazy.stim"
    expect_named "cannot write $W/rec-v2-edge-eoimode0-lazy.stim: No space left on device" "$G" bench $B1 --record-gic "$W/rec"
    expect_named "cannot write $W/no/such/dir/x.json" "$G" bench $B1 --json "$W/no/such/dir/x.json"
    ;;
record_fills_up)
    # --record-gic whose file takes the probe but fails during the run (a file size limit of 2 KiB; SIGXFSZ
    # ignored so that the write returns EFBIG): exit 2, one line naming the file, never a silent cut recording.
    rm -f "$W"/rec*
    (trap '' XFSZ; ulimit -f 4; exec "$G" bench $B1 --record-gic "$W/rec" >/dev/null 2>"$W/err"); rc=$?
    n=$(errlines)
    [ "$rc" = 2 ] && [ "$n" = 1 ] && grep -q "cannot write $W/rec-v2-edge-eoimode0-lazy.stim: File too large" "$W/err" \
        || fail "--record-gic filling up: exit $rc, $n lines: $(cat "$W/err")"
    (trap '' XFSZ; ulimit -f 1000; exec "$G" bench $B1 --record-gic "$W/ok" >/dev/null) \
        || fail "--record-gic under a large enough limit failed"
    tail -n 1 "$W/ok-v2-edge-eoimode0-lazy.stim" | grep -q " end$" || fail "the recording has no end line"
    ;;
sweep_full_device)
    expect_named "cannot write /dev/full: No space left on device" "$G" sweep --lrs 1,2 $B1 --csv /dev/full
    expect_named "cannot write /dev/full: No space left on device" "$G" sweep --lrs 1,2 $B1 --csv "$W/s.csv" --html /dev/full
    expect_full "$G" sweep --lrs 1,2 $B1 --out "$W/sfull"
    ;;
config_directory)
    mkdir -p "$W/conf.d"
    expect_named "Is a directory" "$G" bench --config "$W/conf.d"
    expect_named "Is a directory" "$G" sweep --config "$W/conf.d"
    ;;
grid_too_large)
    # 16 x 1000 x 1000 x 1000 numeric points (x 2 GICs x 3 policies): refused at once, never allocated.
    L1000=$(seq -s, 1 1000)
    expect_named "more than 100000 points" "$G" sweep --lrs "$(seq -s, 1 16)" --bus-latency "$L1000" \
        --think-max "$L1000" --irq-entry "$L1000" --out "$W/huge"
    [ ! -e "$W/huge" ] || fail "a refused sweep created its output directory"
    # Counted with overflow in mind: 16 x 1000^6 points do not wrap round to a small number.
    expect_named "more than 1000000000 points" "$G" sweep --lrs "$(seq -s, 1 16)" --bus-latency "$L1000" \
        --think-max "$L1000" --irq-entry "$L1000" --trap-entry "$L1000" --trap-exit "$L1000" --vm-entry "$L1000" \
        --max-points 1000000000 --out "$W/huge"
    expect_usage "$G" sweep --lrs 1,2 $B1 --max-points 1000000001 --out "$W/huge"
    expect_named "more than 1 points" "$G" sweep --lrs 1,2 $B1 --max-points 1 --out "$W/huge"
    expect_usage "$G" sweep --lrs 1,2 $B1 --max-points 0 --out "$W/huge"
    "$G" sweep --lrs 1,2 $B1 --max-points 2 --out "$W/two" >/dev/null || fail "a sweep of --max-points points failed"
    ;;
out_unusable)
    expect_named "cannot create directory /proc/x" "$G" sweep $B1 --out /proc/x
    expect_named "cannot create directory /dev/full" "$G" sweep $B1 --out /dev/full
    : >"$W/a-file"
    expect_named "cannot create directory $W/a-file/sub" "$G" sweep $B1 --out "$W/a-file/sub"
    expect_named "option --out needs a value" "$G" sweep $B1 --out -x
    cd "$W" && rm -rf ./--help
    expect_named "option --out needs a value" "$G" sweep $B1 --out --help
    [ ! -e ./--help ] || fail "sweep --out --help created a folder named --help"
    "$G" sweep --lrs 1,2 $B1 --out "$W/made/deep/dir" >/dev/null || fail "sweep --out a new nested directory failed"
    [ -s "$W/made/deep/dir/sweep.csv" ] || fail "no sweep.csv in the new directory"
    ;;
model_rtl_refused_once)
    # Refused once, before any job: RTL builds (a configuration the reference lacks), builds without Verilator.
    expect_named "rtl" "$G" bench --model rtl --lrs 2
    # The GIC has max(256, --spis) SPIs (QEMU virt's 256 at least): --spis 300 needs a 300-SPI build, which
    # there is not; --spis 100 runs on the 256-SPI build where there is one (docs/cli.md, docs/benchmark.md).
    expect_named "rtl" "$G" bench --model rtl --spis 300
    if "$G" bench --model rtl --runs 1 --sequence spend_ack_eoi --policy lazy --trigger edge --eoimode 0 \
        >/dev/null 2>&1; then
        "$G" bench --model rtl --spis 100 --runs 1 --sequence spend_ack_eoi --policy lazy --trigger edge --eoimode 0 \
            >/dev/null || fail "--model rtl --spis 100 (a 256-SPI GIC) was refused"
    fi
    ;;
config_nul_byte)
    # A configuration is text: a NUL byte is refused (it would cut 'lrs = 4<NUL>junk' to 'lrs = 4').
    printf 'lrs = 4\0junk\n' >"$W/nul.conf"
    expect_named "nul.conf:1: a NUL byte" "$G" bench --config "$W/nul.conf"
    expect_named "nul.conf:1: a NUL byte" "$G" sweep --config "$W/nul.conf"
    ;;
sweep)
    rm -rf "$W/sweep"
    "$G" sweep --lrs 1,4 --gic v2 --policy lazy --sequence spend_ack_eoi --runs 3 -j 2 --out "$W/sweep" >/dev/null \
        || fail "sweep failed"
    /usr/bin/python3 - "$W/sweep/sweep.csv" "$W/sweep/sweep.html" <<'PY' || exit 1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "empty CSV"
assert {r["lrs"] for r in rows} == {"1", "4"}, {r["lrs"] for r in rows}
assert all(r["gic"] == "v2" and r["policy"] == "lazy" and r["sequence"] == "spend_ack_eoi" for r in rows)
assert any(r["segment"] == "deact_to_phys" for r in rows)
h = open(sys.argv[2]).read()
assert h.count("<svg") >= 1 and "<script" not in h and "http://" not in h.replace("http://www.w3.org/2000/svg", "")
PY
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
