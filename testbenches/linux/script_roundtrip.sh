#!/bin/sh
# script_roundtrip.sh GICSIM TRACE MACHINE SMP: `gicsim replay --save-script` writes a `gicsim run`
# script that does what the replay did: its expects fail exactly as often as the replay reported
# mismatches (allowed ones included), and it exits 0 when there were none.
set -eu
gicsim=$1; trace=$2; machine=$3; smp=$4
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
"$gicsim" replay "$trace" --save-script "$d/s.gsim" > "$d/r.txt" || true
want=$(awk '/^  mismatches /{print $2 + substr($3, 2)}' "$d/r.txt")
s=0; "$gicsim" run "$d/s.gsim" --machine "$machine" --smp "$smp" > /dev/null 2> "$d/e.txt" || s=$?
got=$(sed -n 's/.* \([0-9][0-9]*\) expect failed.*/\1/p' "$d/e.txt")
echo "replay: $want mismatches (allowed included); run: $got expects failed, exit $s"
[ "$got" = "$want" ] || exit 1
if [ "$want" -eq 0 ]; then [ "$s" -eq 0 ]; else [ "$s" -eq 1 ]; fi
