#!/bin/sh
# bad_traces.sh GICSIM TRACES_DIR: gicsim replay refuses every bad trace with exit status 2 and one
# line on standard error, and never crashes (docs/real-software.md, "Bad traces").
set -u
gicsim=$1; dir=$2
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fails=0
expect2() { # NAME FILE [ARGS...]: exit 2, exactly one stderr line
    name=$1; shift
    "$gicsim" replay "$@" > "$t/out" 2> "$t/err"; st=$?
    n=$(wc -l < "$t/err")
    if [ "$st" -ne 2 ] || [ "$n" -ne 1 ]; then
        echo "FAIL $name: exit $st, $n stderr lines"; cat "$t/err"; fails=$((fails + 1))
    else
        echo "ok   $name: $(cat "$t/err")"
    fi
}
xz -dc "$dir/traces/boot-v3.trace.xz" | head -n 3000 > "$t/v3"
xz -dc "$dir/traces/boot-v2.trace.xz" | head -n 3000 > "$t/v2"
expect2 missing "$t/none"
expect2 directory "$t"
: > "$t/empty"; expect2 empty "$t/empty"
printf 'hello world\nthis is not a trace\n' > "$t/text"; expect2 foreign-text "$t/text"
head -c 4096 /bin/sh > "$t/binary"; expect2 binary "$t/binary"
{ cat "$t/v3"; printf 'gicv3_dist_read GICv3 distributor read: offset 0x4 da'; } > "$t/cut"; expect2 cut-line "$t/cut"
head -c 20000 "$dir/traces/boot-v3.trace.xz" > "$t/cut.xz"; expect2 cut-xz "$t/cut.xz"
{ cat "$t/v3"; printf '\375\067zXZ\000junk\n'; } > "$t/garbage"; expect2 binary-tail "$t/garbage"
cp "$dir/traces/boot-v3.trace.xz" "$t/corrupt.xz"; printf 'XXXXXXXX' | dd of="$t/corrupt.xz" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect2 corrupt-xz "$t/corrupt.xz"
{ head -n 100 "$t/v3"; head -n 100 "$t/v2"; } > "$t/mixed"; expect2 mixed-versions "$t/mixed"
{ head -n 100 "$t/v3"; echo 'gicv3_dist_read GICv3 distributor read: offset 0xzz data 0x1 size 4 secure 0'; } > "$t/malformed"
expect2 malformed-event "$t/malformed"
{ head -n 100 "$t/v3"; echo 'gicv3_redist_read GICv3 redistributor 0x0 read: offset 0x8 data 0x1 size 3 secure 0'; } > "$t/size"
expect2 bad-size "$t/size"
{ head -n 100 "$t/v3"; echo 'gicv3_icc_pmr_read GICv3 ICC_PMR read cpu 0x7 value 0x0'; } > "$t/cpu"
expect2 cpu-beyond-smp "$t/cpu" --smp 2
{ head -n 100 "$t/v3"; echo 'gicv3_dist_set_irq GICv3 distributor interrupt 900 level changed to 1'; } > "$t/spi"
expect2 spi-beyond-machine "$t/spi"
{ head -n 100 "$t/v3"; echo 'Taking exception 4 Data Abort'; } > "$t/exc"; expect2 malformed-exception "$t/exc"
expect2 wrong-machine "$t/v3" --machine virt-gicv2
expect2 gicv2-too-many-cpus "$t/v2" --smp 9
expect2 bad-allow "$t/v3" --allow "$t/text"
expect2 unwritable-script "$t/v3" --save-script "$t/nodir/x.gsim"
expect2 unwritable-timing "$t/v3" --timing "$t/nodir/x.txt"
if [ -w /dev/full ]; then
    expect2 full-script "$t/v3" --save-script /dev/full
    expect2 full-timing "$t/v3" --timing /dev/full
fi
"$gicsim" replay "$t/v3" > /dev/full 2> "$t/err"; st=$?
if [ "$st" -ne 2 ] || [ "$(wc -l < "$t/err")" -ne 1 ]; then echo "FAIL full-stdout: exit $st"; fails=$((fails + 1));
else echo "ok   full-stdout: $(cat "$t/err")"; fi
expect2 rtl-no-such-build-v2 "$t/v2" --model rtl --smp 3
expect2 bad-model "$t/v3" --model qemu
expect2 rtl-no-such-build "$t/v3" --model rtl --smp 3
# A GICv2 trace with several CPUs needs the memory_region_ops lines that name the requesting CPU.
grep -v '^memory_region_ops' "$t/v2" > "$t/v2-nocpu"
expect2 gicv2-without-cpu "$t/v2-nocpu" --smp 2
# ITS events (docs/real-software.md, "LPIs and the ITS"): cut or malformed, a command event without its
# processing event, a command beyond the queue GITS_CBASER gives, and the RTL reference (no ITS).
xz -dc "$dir/traces/msi-v3.trace.xz" > "$t/msi"
at=$(grep -n '^gicv3_its_translation_write ' "$t/msi" | head -1 | cut -d: -f1)
{ head -n $((at - 1)) "$t/msi"; echo 'gicv3_its_translation_write GICv3 ITS TRANSLATER write: offset 0x40 data 0x1 size 4'; } > "$t/its-cut"
expect2 its-msi-cut "$t/its-cut"
{ head -n 100 "$t/msi"; echo 'gicv3_its_translation_write GICv3 ITS TRANSLATER write: offset 0x40 data 0x1 size 4 requester_id 0x10000'; } > "$t/its-dev"
expect2 its-msi-bad-deviceid "$t/its-dev"
{ head -n 100 "$t/msi"; echo 'gicv3_its_read GICv3 ITS read: offset 0x8 data 0x1 size 3'; } > "$t/its-size"
expect2 its-bad-size "$t/its-size"
{ head -n 100 "$t/msi"; echo 'gicv3_its_write GICv3 ITS write: offset 0xzz data 0x1 size 4'; } > "$t/its-write"
expect2 its-malformed-write "$t/its-write"
at=$(grep -n '^gicv3_its_cmd_mapti ' "$t/msi" | head -1 | cut -d: -f1)
{ head -n $((at - 2)) "$t/msi"; sed -n "${at}p" "$t/msi"; } > "$t/its-orphan"
expect2 its-command-without-processing "$t/its-orphan"
{ head -n $((at - 2)) "$t/msi"; echo 'gicv3_its_process_command GICv3 ITS: processing command at offset 0x9: 0xa'
  echo 'gicv3_its_cmd_mapti GICv3 ITS: command MAPTI DeviceID 0x8 EventID 0x0 ICID 0x0'; } > "$t/its-mapti-cut"
expect2 its-command-cut "$t/its-mapti-cut"
{ head -n $((at - 2)) "$t/msi"; echo 'gicv3_its_process_command GICv3 ITS: processing command at offset 0x800: 0x5'; } > "$t/its-queue"
expect2 its-command-beyond-queue "$t/its-queue"
{ head -n 100 "$t/v3"; echo 'gicv3_its_process_command GICv3 ITS: processing command at offset 0x0: 0x5'; } > "$t/its-noqueue"
expect2 its-command-without-queue "$t/its-noqueue"
expect2 its-on-rtl "$t/msi" --model rtl
# Events it does not understand are counted and listed, not fatal.
{ head -n 100 "$t/v3"; echo 'gicv3_made_up_event GICv3 ITS read: offset 0x0 data 0x0 size 4'; } > "$t/unknown"
"$gicsim" replay "$t/unknown" > "$t/out" 2>&1; grep -q 'gicv3_made_up_event .* NOT UNDERSTOOD' "$t/out" || {
    echo "FAIL unknown-event: not listed"; cat "$t/out"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "all bad traces refused" || exit 1
