#!/bin/sh
# replay_checks.sh GICSIM TRACES_DIR NAME [MODEL]: what a replay of the stored trace NAME on MODEL (c, the
# default, or rtl: the Verilated RTL reference) must show besides
# "no mismatch outside the allow-list" (docs/real-software.md).
#  kvm-v3, kvm-v2: the KVM change's path at work: a guest write to ISPENDR0 of the mapped virtual
#  timer, the host's physical ISACTIVER0 write for PPI 27 and a HW=1 list register for pINTID 27;
#  and the rule checker's finding on real KVM traffic: a HW deactivation of an inactive physical
#  interrupt (hw-deact-inactive, rule A6).
#  msi-v3: MSIs through the ITS: at least 40 MSIs replayed, at least 40 LPIs (INTIDs from 8192)
#  acknowledged in QEMU and every one of them acknowledged by gicsim too, the inferred LPI configuration
#  checked against QEMU's HPPI, and no rule violation.
set -eu
gicsim=$1; dir=$2; name=$3; model=${4:-c}
out=$(mktemp); trap 'rm -f "$out" "$out.t"' EXIT
status=0
allow=$dir/allow.txt
# The RTL reference has no LPIs (docs/rtl.md): its ID registers say so, allow-rtl.txt lists those differences.
[ "$model" = rtl ] && [ -f "$dir/allow-rtl.txt" ] && allow=$dir/allow-rtl.txt
"$gicsim" replay "$dir/traces/$name.trace.xz" --allow "$allow" --rulecheck --max-report 1000 \
    --timing "$out.t" --model "$model" > "$out" || status=$?
[ "$status" -eq 0 ] || { cat "$out"; echo "FAIL: replay exit status $status"; exit 1; }
grep -q '^  mismatches           0 ' "$out" || { cat "$out"; echo "FAIL: mismatches"; exit 1; }
if grep -q 'NOT UNDERSTOOD' "$out"; then cat "$out"; echo "FAIL: trace events not understood"; exit 1; fi
if [ "$name" = msi-v3 ]; then
    grep -E '^  (ITS|LPIs|rule violations) ' "$out"
    msis=$(sed -n 's/^  ITS  *\([0-9]*\) MSIs.*/\1/p' "$out")
    acks=$(sed -n 's/^  LPIs  *\([0-9]*\) acknowledged in QEMU, \([0-9]*\) of them.*/\1 \2/p' "$out")
    set -- $acks
    [ "${msis:-0}" -ge 40 ] || { cat "$out"; echo "FAIL: fewer than 40 MSIs replayed"; exit 1; }
    [ "${1:-0}" -ge 40 ] && [ "$1" = "${2:-}" ] || { echo "FAIL: LPIs acknowledged: QEMU ${1:-?}, gicsim ${2:-?}"; exit 1; }
    grep -qE "checked against QEMU's HPPI" "$out" && ! grep -q ", 0 checked against QEMU's HPPI" "$out" \
        || { echo "FAIL: no LPI configuration checked against QEMU's HPPI"; exit 1; }
    grep -q '^  rule violations      0$' "$out" || { echo "FAIL: rule violations"; exit 1; }
    exit 0
fi
case $name in
kvm-v3) reg=GICR; lr='ICH_LR[0-9]* 0x[0-9a-f]* HW=1 vINTID 27 pINTID 27 pending' ;;
kvm-v2) reg=GICD; lr='GICH_LR[0-9]* 0x[0-9a-f]* HW=1 vINTID 27 pINTID 27 pending' ;;
*) exit 0 ;;
esac
# The first guest ISPENDR0 write and what the host did before the next VM entry.
awk -v reg="${reg}_ISPENDR0" '$0 ~ "guest write to " reg {p=1; print; next} p && /^  line/ {exit} p {print}' "$out.t" > "$out.w"
cat "$out.w"
grep -q "${reg}_ISACTIVER0 0x8000000 (physical)" "$out.w" || { echo "FAIL: no physical ISACTIVER0 after the guest's ISPENDR0"; exit 1; }
grep -qE "$lr" "$out.w" || { echo "FAIL: no HW=1 list register for pINTID 27"; exit 1; }
grep -q 'hw-deact-inactive' "$out" || { echo "FAIL: the rule checker's A6 finding is gone"; exit 1; }
grep 'rule violations' "$out"
rm -f "$out.w"
