#!/bin/sh
# timeline_png_tests.sh GICSIM PYTHON SCRIPT CHECKER DIR MODE: tools/bench/timeline_png.py, the PNG of a
# gicsim bench --timeline file (docs/benchmark.md, "Timeline").
#   render   a small bench job's timeline drawn whole, one run of one job, and a window: each a valid PNG of the
#            expected size with the tracks' bars and the flow arrows (CHECKER), and the script's summary line counts
#            the jobs, slices and arrows drawn
#   badinput unreadable, not JSON, not UTF-8, no traceEvents, a malformed event, nothing to draw, bad options and
#            unwritable outputs: exit status 2, exactly one line on stderr, nothing on stdout, no PNG left behind
# matplotlib missing makes the script exit 1, so both modes fail (scripts/setup.sh installs python3-matplotlib).
set -u
gicsim=$1 py=$2 script=$3 checker=$4 dir=$5 mode=$6
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fails=0
bad() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

case $mode in
render)
  json=$dir/timeline.json
  "$gicsim" bench --gic v3 --trigger edge --eoimode 0 --policy lazy,eager --sequence spend_ack_eoi --runs 2 \
    --timeline-runs 2 --timeline "$json" --quiet >/dev/null || bad "gicsim bench --timeline exit $?"
  # name|options|checker's width min-height max-height|expected summary (jobs, then at least one flow arrow)
  for t in "whole||1500 300 1500|2 jobs" "run2|--job lazy --run 2 --width 10 --dpi 120|1200 150 900|1 jobs" \
           "window|--job 2 --window 1500 2700 --width 12|1200 120 900|1 jobs"; do
    name=${t%%|*} rest=${t#*|}
    opts=${rest%%|*} rest=${rest#*|}
    size=${rest%%|*} jobs=${rest#*|}
    png=$dir/$name.png
    # shellcheck disable=SC2086
    out=$("$py" "$script" "$json" "$png" $opts 2>"$dir/$name.err")
    rc=$?
    echo "$name: $out"
    [ $rc -eq 0 ] || { bad "$name: exit $rc: $(cat "$dir/$name.err")"; continue; }
    [ -s "$dir/$name.err" ] && bad "$name: stderr: $(cat "$dir/$name.err")"
    echo "$out" | grep -q "^timeline_png.py: wrote $png: $jobs, [1-9][0-9]* slices, [0-9]* instant events, [1-9][0-9]* flow arrows" ||
      bad "$name: summary line is not '$jobs, N slices, ..., N>0 flow arrows'"
    # shellcheck disable=SC2086
    "$py" "$checker" "$png" $size || bad "$name: $png"
  done
  # --width 10 at --dpi 120 and --width 12 at the default 100 dpi: both 1200 pixels wide.
  ;;
badinput)
  good=$dir/good.json
  "$gicsim" bench --gic v2 --trigger edge --eoimode 0 --policy lazy --sequence spend_ack_eoi --runs 1 \
    --timeline "$good" --quiet >/dev/null || bad "gicsim bench --timeline exit $?"
  printf 'not json\n' >"$dir/text.json"
  printf '\377\376\000x' >"$dir/binary.json"
  printf '{"traceEvents": [' >"$dir/truncated.json"
  printf '{"events": []}\n' >"$dir/noev.json"
  printf '[{"ph": "X", "pid": 1, "tid": 1, "ts": 1, "dur": 1, "name": "a"}]\n' >"$dir/array.json"
  printf '{"traceEvents": "x"}\n' >"$dir/evstring.json"
  printf '{"traceEvents": []}\n' >"$dir/empty.json"
  printf '{"traceEvents": [{"ph": "M", "pid": 1, "name": "process_name", "args": {"name": "p"}}]}\n' >"$dir/meta.json"
  printf '{"traceEvents": [{"ph": "X", "pid": 1, "tid": 1, "ts": "1", "dur": 1, "name": "a"}]}\n' >"$dir/ts.json"
  printf '{"traceEvents": [{"ph": "X", "pid": 1, "tid": 1, "ts": 1, "name": "a"}]}\n' >"$dir/nodur.json"
  printf '{"traceEvents": [7]}\n' >"$dir/number.json"
  mkdir -p "$dir/adir"
  out=$dir/out.png
  # input|options and output (the output is $out unless given)
  while IFS='|' read -r input args; do
    [ -z "$input" ] && continue
    case $input in /*) ;; *) input=$dir/$input ;; esac
    rm -f "$out"
    # shellcheck disable=SC2086
    case $args in
    NONE) set -- "$input" ;;
    *) set -- "$input" ${args:-$out} ;;
    esac
    "$py" "$script" "$@" >"$dir/stdout" 2>"$dir/stderr"
    rc=$?
    lines=$(wc -l <"$dir/stderr")
    echo "$input ${args:-}: exit $rc: $(cat "$dir/stderr")"
    [ $rc -eq 2 ] || bad "$input ${args:-}: exit $rc, not 2"
    [ "$lines" -eq 1 ] || bad "$input ${args:-}: $lines lines on stderr, not 1"
    [ -s "$dir/stdout" ] && bad "$input ${args:-}: output on stdout"
    grep -q '^timeline_png.py: ' "$dir/stderr" || bad "$input ${args:-}: stderr does not start with the program's name"
    [ -e "$out" ] && bad "$input ${args:-}: $out written"
  done <<EOF
missing.json|
adir|
text.json|
binary.json|
truncated.json|
noev.json|
array.json|
evstring.json|
empty.json|
meta.json|
ts.json|
nodur.json|
number.json|
good.json|/dev/full
good.json|$dir/no/such/dir/out.png
good.json|$dir/adir
good.json|$dir/good.json/out.png
good.json|NONE
good.json|$out --window 5 1
good.json|$out --window 0 10
good.json|$out --window nan 1
good.json|$out --run 0
good.json|$out --run 99
good.json|$out --job 7
good.json|$out --job eager
good.json|$out --unit ps
good.json|$out --gap -1
good.json|$out --width 1
good.json|$out --frobnicate
EOF
  ;;
*)
  echo "usage: $0 GICSIM PYTHON SCRIPT CHECKER DIR render|badinput" >&2
  exit 2
  ;;
esac
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "timeline_png_tests $mode: passed"
