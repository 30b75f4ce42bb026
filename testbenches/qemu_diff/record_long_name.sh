#!/bin/sh
# record_long_name.sh: `gicsim run --record` writes a register name as long as a script line allows whole, and the
# record replays with the same answers (fuzz_qtest found a long spelling of a system register cut short at 96
# characters). Usage: record_long_name.sh GICSIM WORKDIR
set -u
g=$1; w=$2
rm -rf "$w"; mkdir -p "$w" || exit 1
zeros=$(printf '%0100d' 0)
cat > "$w/long.gsim" <<SCRIPT
mrs v:S3_0_C${zeros}12_C11_3
mrs S3_0_C${zeros}4_C6_0 0
SCRIPT
"$g" run "$w/long.gsim" --machine virt-gicv3 --record "$w/rec.gsim" > "$w/first.out" || { echo "FAIL: the script"; exit 1; }
grep -q "C${zeros}12_C11_3" "$w/rec.gsim" || { echo "FAIL: the record cut the name:"; cat "$w/rec.gsim"; exit 1; }
"$g" run "$w/rec.gsim" --machine virt-gicv3 > "$w/replay.out" || { echo "FAIL: the record does not replay:"; cat "$w/rec.gsim"; exit 1; }
grep -v '^gicsim' "$w/first.out" > "$w/a"; grep -v '^gicsim' "$w/replay.out" > "$w/b"
cmp -s "$w/a" "$w/b" || { echo "FAIL: different answers"; diff "$w/a" "$w/b"; exit 1; }
echo "ok: long register names recorded whole and replayed"
