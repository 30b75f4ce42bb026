#!/bin/sh
# dt_tests.sh GICSIM DIR: --dtb with a hand-written two-cluster SoC (two-cluster.dts, two-cluster.gsim: SPIs routed
# by Aff1.Aff0, SGIs by cluster and target list, GICR_TYPER and the redistributor regions' addresses), and the
# refusals: a bad or incomplete device tree is exit status 2 with one line naming the reason (docs/dt.md).
set -u
G=$1 D=$2
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
dtc -q -I dts -O dtb -o "$T/two.dtb" "$D/two-cluster.dts" || fail "dtc cannot compile two-cluster.dts"
"$G" run "$D/two-cluster.gsim" --dtb "$T/two.dtb" >"$T/out" 2>"$T/err" || fail "two-cluster.gsim: $(cat "$T/err")"
grep -q "dtb $T/two.dtb, 4 CPUs" "$T/err" || fail "the summary does not name the device tree: $(cat "$T/err")"

# refuse WHAT EXPECTED-TEXT DTS-BODY-OF-THE-GIC-NODE [CPUS]: compiles a variant and checks exit 2 + one line.
cpus4='cpu@0 { device_type = "cpu"; reg = <0x0>; }; cpu@1 { device_type = "cpu"; reg = <0x1>; };
       cpu@100 { device_type = "cpu"; reg = <0x100>; }; cpu@101 { device_type = "cpu"; reg = <0x101>; };'
refuse() {
    what=$1 text=$2 gic=$3 cpus=${4:-$cpus4}
    cat >"$T/x.dts" <<DTS
/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
    cpus { #address-cells = <1>; #size-cells = <0>; $cpus };
    $gic
};
DTS
    dtc -q -I dts -O dtb -o "$T/x.dtb" "$T/x.dts" || fail "$what: dtc"
    echo "readl 0x0" | "$G" qtest --dtb "$T/x.dtb" >/dev/null 2>"$T/err"; st=$?
    [ $st = 2 ] || fail "$what: status $st, not 2"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "$what: not one line: $(cat "$T/err")"
    grep -q "$text" "$T/err" || fail "$what: '$(cat "$T/err")' does not say '$text'"
}
v3() { echo "intc@1000 { compatible = \"arm,gic-v3\"; interrupt-controller; $1 };"; }
refuse "no GIC node" "no GIC node" 'uart@0 { compatible = "arm,pl011"; reg = <0x0 0x1000>; };'
refuse "regions too small" "hold 2 redistributors, but /cpus has 4" "$(v3 'reg = <0x1000 0x10000 0x100000 0x40000>;')"
refuse "more regions than reg" "#redistributor-regions 3" "$(v3 '#redistributor-regions = <3>; reg = <0x1000 0x10000 0x100000 0x80000>;')"
refuse "no redistributor" "needs the distributor and a redistributor" "$(v3 'reg = <0x1000 0x10000>;')"
refuse "reg not in pairs" "not a whole number" "$(v3 'reg = <0x1000 0x10000 0x100000>;')"
refuse "bad stride" "redistributor-stride" "$(v3 'reg = <0x1000 0x10000 0x100000 0x80000>; redistributor-stride = <0x1000>;')"
refuse "maintenance SPI" "must be a PPI" "$(v3 'reg = <0x1000 0x10000 0x100000 0x80000>; interrupts = <0 9 4>;')"
refuse "same affinity" "same affinity" "$(v3 'reg = <0x1000 0x10000 0x100000 0x80000>;')" \
    'cpu@0 { device_type = "cpu"; reg = <0x1>; }; cpu@1 { device_type = "cpu"; reg = <0x1>; };'
refuse "no CPUs" "no CPU under /cpus" "$(v3 'reg = <0x1000 0x10000 0x100000 0x80000>;')" ' '
refuse "nine CPUs on a GICv2" "at most 8" 'intc@1000 { compatible = "arm,gic-400"; reg = <0x1000 0x1000 0x2000 0x2000>; };' \
    "$(for i in 0 1 2 3 4 5 6 7 8; do printf 'cpu@%s { device_type = "cpu"; reg = <%s>; }; ' $i $i; done)"
refuse "GICH without GICV" "go together" 'intc@1000 { compatible = "arm,gic-400"; reg = <0x1000 0x1000 0x2000 0x2000 0x4000 0x2000>; };'

# not a device tree, missing file, bad option combinations
echo "not a device tree" >"$T/text.dtb"
for args in "--dtb $T/text.dtb" "--dtb $T/missing.dtb" "--dtb $T/two.dtb --machine virt-gicv3" \
            "--dtb $T/two.dtb --smp 2" "--machine virt-gicv3 --spis 64" "--dtb $T/two.dtb --spis 989"; do
    echo "readl 0x0" | "$G" qtest $args >/dev/null 2>"$T/err"; st=$?
    [ $st = 2 ] || fail "qtest $args: status $st, not 2"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "qtest $args: not one line: $(cat "$T/err")"
done
echo "readl 0x0" | "$G" qtest --dtb "$T/text.dtb" 2>&1 >/dev/null | grep -q "not a flattened device tree" \
    || fail "a text file is not named as 'not a flattened device tree'"
# A property whose name lies outside the strings block: refused before libfdt's own check, which would read a null
# pointer on it (found by fuzz_dt; the corpus input without its first byte, the fuzzer's SPI count).
tail -c +2 "$D/../fuzz/corpus/dt/regress-libfdt-check-full-name-offset" >"$T/badname.dtb"
echo "readl 0x0" | "$G" qtest --dtb "$T/badname.dtb" >/dev/null 2>"$T/err"; st=$?
[ $st = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "property name outside the strings block" "$T/err" \
    || fail "a property name outside the strings block: status $st, $(cat "$T/err")"
# --spis: GICD_TYPER.ITLinesNumber [4:0] = (32 + 64) / 32 - 1 = 2; the default is QEMU virt's 256 SPIs (8)
typer=$(echo "readl 0x2f000004" | "$G" qtest --dtb "$T/two.dtb" --spis 64 | sed 's/^OK //')
[ $((typer & 31)) = 2 ] || fail "--spis 64: GICD_TYPER $typer"
typer=$(echo "readl 0x2f000004" | "$G" qtest --dtb "$T/two.dtb" | sed 's/^OK //')
[ $((typer & 31)) = 8 ] || fail "default SPIs: GICD_TYPER $typer"
# gicsim bench --dtb: a SoC whose CPU 0 is 0.0.2.0 (not GICD_IROUTER's reset value): every run completes, no step
# fails; a GIC without virtualization, or another --gic, is refused with one line.
sed 's/reg = <0x0 0x000>; };/reg = <0x0 0x200>; };/' "$D/two-cluster.dts" >"$T/aff.dts"
dtc -q -I dts -O dtb -o "$T/aff.dtb" "$T/aff.dts" || fail "dtc aff.dts"
"$G" bench --dtb "$T/aff.dtb" --runs 3 --json "$T/aff.json" --quiet >/dev/null || fail "bench --dtb aff.dtb"
grep -q '"errors": [1-9]' "$T/aff.json" && fail "bench --dtb aff.dtb: a step failed (SPIs not routed to CPU 0?)"
grep -q '"errors": 0' "$T/aff.json" || fail "bench --dtb aff.dtb: no results"
sed 's/interrupts = <1 9 4>;//' "$D/two-cluster.dts" >"$T/novirt.dts"
dtc -q -I dts -O dtb -o "$T/novirt.dtb" "$T/novirt.dts" || fail "dtc novirt.dts"
for args in "--dtb $T/novirt.dtb" "--dtb $T/two.dtb --gic v2" "--dtb $T/text.dtb"; do
    "$G" bench $args --runs 1 >/dev/null 2>"$T/err"; st=$?
    [ $st = 2 ] || fail "bench $args: status $st, not 2"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "bench $args: not one line: $(cat "$T/err")"
done
echo "dt: two-cluster SoC routed by Aff1.Aff0, bench on a CPU 0 of affinity 0.0.2.0, 11 malformed device trees and 9 bad option sets refused with one line"
