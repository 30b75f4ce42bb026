#!/usr/bin/env bash
# record-linux-trace.sh: boot Debian's arm64 Linux under qemu-system-aarch64 (TCG, EL2 available,
# so the kernel runs in VHE mode with KVM) and record QEMU's GIC trace events plus the exception log
# of guest exits/entries, xz-compressed, for `gicsim replay`.
#
#   scripts/record-linux-trace.sh --gic v2|v3 --workload boot|kvm|msi [--smp N] [--out FILE.xz]
#                                 [--cache DIR] [--timeout SEC]
#
# boot: the kernel boots, /init mounts proc/sys/devtmpfs and powers off.
# kvm:  /init also runs workloads/kvm/vmm (a minimal KVM VMM) with workloads/kvm guest.bin for
#       vcpus 1,2 x eoimode 0,1 and prints the guest's verdicts.
# msi:  GICv3 only: the machine has its=on and a virtio-rng-pci device; /init loads the virtio-pci and
#       virtio-rng modules (MSI-X through the ITS) and reads 96 16-byte blocks from /dev/hwrng,
#       moves the interrupt to the other CPU (MOVI) and reads 96 more.
# Output: FILE.xz (filtered QEMU log) and FILE's console next to it (NAME.console.txt).
# Exit status: 0 ok, 1 a guest case FAILed, 2 a step failed (download, build, boot, verdict missing).
set -euo pipefail

die() { echo "record-linux-trace: $*" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GIC="" WORKLOAD="" SMP=2 OUT="" TIMEOUT=""
CACHE="${GICSIM_CACHE:-$HOME/.cache/gicsim}"
while [ $# -gt 0 ]; do
  case "$1" in
    --gic) GIC="$2"; shift 2 ;;
    --workload) WORKLOAD="$2"; shift 2 ;;
    --smp) SMP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
case "$GIC" in v2|v3) ;; *) die "--gic v2|v3 required" ;; esac
case "$WORKLOAD" in boot|kvm|msi) ;; *) die "--workload boot|kvm|msi required" ;; esac
[ "$WORKLOAD" = msi ] && [ "$GIC" != v3 ] && die "--workload msi needs --gic v3 (the ITS is a GICv3 part)"
case "$SMP" in [1-8]) ;; *) die "--smp must be 1..8" ;; esac
[ -n "$OUT" ] || OUT="$ROOT/testbenches/linux/traces/$WORKLOAD-$GIC.trace.xz"
[ -n "$TIMEOUT" ] || { [ "$WORKLOAD" = kvm ] && TIMEOUT=300 || TIMEOUT=120; }
case "$OUT" in *.trace.xz) CONSOLE="${OUT%.trace.xz}.console.txt" ;;
               *.xz) CONSOLE="${OUT%.xz}.console.txt" ;;
               *) CONSOLE="$OUT.console.txt" ;; esac
mkdir -p "$(dirname "$OUT")" "$CACHE/debs"

# ---- packages ----------------------------------------------------------------------------------
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# libc6-dev-arm64-cross: the arm64 C library headers the static VMM (workloads/kvm) needs; gcc-aarch64-linux-gnu only
# recommends it, and recommendations are not installed.
PKGS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio xz-utils qemu-system-arm make)
# Several recordings may start at once (ctest -j): one installs and fills the cache, the others wait for it.
exec 9>"${TMPDIR:-/tmp}/gicsim-record-apt.lock"
flock 9 || die "cannot lock ${TMPDIR:-/tmp}/gicsim-record-apt.lock"
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed"
  NEED_UPDATE=1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ] || [ -n "${NEED_UPDATE:-}" ]; then
  echo "record-linux-trace: installing ${missing[*]:-(apt lists for arm64)}" >&2
  $SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
  if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get install ${missing[*]} failed"
  fi
fi

# ---- kernel and busybox (cached) ---------------------------------------------------------------
DEBS="$CACHE/debs"
fetch_deb() {  # fetch_deb PKG -> path of PKG_*_arm64.deb in $DEBS
  local pkg="$1" f
  f=$(ls -1 "$DEBS/${pkg}_"*_arm64.deb 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$f" ]; then
    (cd "$DEBS" && apt-get download -q "$pkg:arm64" >/dev/null 2>&1) \
      || { $SUDO apt-get update -qq >/dev/null 2>&1 || true;
           (cd "$DEBS" && apt-get download -q "$pkg:arm64" >/dev/null 2>&1); } \
      || die "apt-get download $pkg:arm64 failed"
    f=$(ls -1 "$DEBS/${pkg}_"*_arm64.deb 2>/dev/null | sort -V | tail -1 || true)
  fi
  [ -n "$f" ] || die "no $pkg deb in $DEBS"
  echo "$f"
}
KPKG=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null \
         | awk '/Depends: linux-image-[0-9]/ { sub(/:arm64$/, "", $2); print $2; exit }' || true)
if [ -z "$KPKG" ]; then  # no arm64 lists: fall back to a cached kernel package
  KPKG=$(ls -1 "$DEBS"/linux-image-[0-9]*-arm64_*_arm64.deb 2>/dev/null | sort -V | tail -1 \
           | sed 's#.*/##; s/_.*//' || true)
  [ -n "$KPKG" ] || die "cannot resolve the kernel package of linux-image-arm64:arm64 (apt-cache depends)"
fi
KDEB=$(fetch_deb "$KPKG")
BDEB=$(fetch_deb busybox-static)
EXTRACT="$CACHE/extract"
mkdir -p "$EXTRACT"
extract() {  # extract DEB -> directory with its contents
  local d="$EXTRACT/$(basename "$1" .deb)"
  if [ ! -e "$d/.done" ]; then
    rm -rf "$d"; mkdir -p "$d"
    dpkg-deb -x "$1" "$d" || die "dpkg-deb -x $1 failed"
    touch "$d/.done"
  fi
  echo "$d"
}
KDIR=$(extract "$KDEB"); BDIR=$(extract "$BDEB")
IMAGE=$(ls -1 "$KDIR"/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$IMAGE" ] || die "no boot/vmlinuz-* in $KDEB"
if gzip -t "$IMAGE" 2>/dev/null; then  # some kernels ship Image.gz as vmlinuz
  [ -e "$IMAGE.Image" ] || gzip -dc "$IMAGE" > "$IMAGE.Image"
  IMAGE="$IMAGE.Image"
fi
BUSYBOX="$BDIR/bin/busybox"
[ -x "$BUSYBOX" ] || die "no bin/busybox in $BDEB"
KVER=$(basename "$KDEB" .deb | cut -d_ -f2)
exec 9>&- # packages, downloads and the shared cache are ready: the other recordings may go on

# ---- initramfs ---------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/record-linux-trace.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RFS="$WORK/rootfs"
mkdir -p "$RFS"/{bin,sbin,proc,sys,dev,tmp,etc}
cp "$BUSYBOX" "$RFS/bin/busybox"
ln -s busybox "$RFS/bin/sh"
if [ "$WORKLOAD" = kvm ]; then
  make -s -C "$ROOT/workloads/kvm" O="$WORK/kvm" >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; die "building workloads/kvm failed"; }
  cp "$WORK/kvm/vmm" "$WORK/kvm/guest.bin" "$RFS/"
fi
# msi: virtio-pci and virtio-rng are modules in Debian's kernel (CONFIG_VIRTIO_PCI=m); insmod them in
# dependency order (virtio_pci needs the legacy and modern device libraries).
MSI_MODS="virtio/virtio_pci_legacy_dev virtio/virtio_pci_modern_dev virtio/virtio_pci char/hw_random/virtio-rng"
MSI_READS=96
if [ "$WORKLOAD" = msi ]; then
  mkdir -p "$RFS/modules"
  for m in $MSI_MODS; do
    ko=$(ls -1 "$KDIR"/lib/modules/*/kernel/drivers/"$m".ko 2>/dev/null | head -1)
    [ -n "$ko" ] || die "no $m.ko in $KDEB"
    cp "$ko" "$RFS/modules/"
  done
fi
cat > "$RFS/init" <<EOF
#!/bin/busybox sh
/bin/busybox mkdir -p /usr/bin /usr/sbin
/bin/busybox --install -s 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "gicsim-init: reached /init (workload $WORKLOAD, gic $GIC)"
if [ "$WORKLOAD" = kvm ]; then
  for v in 1 2; do
    for m in 0 1; do
      echo "gicsim-init: run vmm --gic $GIC --vcpus \$v --eoimode \$m"
      /vmm --gic $GIC --vcpus \$v --eoimode \$m /guest.bin
      echo "gicsim-init: vmm vcpus \$v eoimode \$m exit \$?"
    done
  done
fi
if [ "$WORKLOAD" = msi ]; then
  for m in $MSI_MODS; do insmod /modules/\${m##*/}.ko || echo "gicsim-init: insmod \$m failed"; done
  echo "gicsim-init: hwrng \$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)"
  dd if=/dev/hwrng of=/dev/null bs=16 count=$MSI_READS 2>/dev/null
  echo "gicsim-init: read $MSI_READS blocks from /dev/hwrng, exit \$?"
  # Move the virtqueue's interrupt to the other CPU (an ITS MOVI) and read as much again.
  irq=\$(grep virtio0-input /proc/interrupts | cut -d: -f1 | tr -d ' ')
  cur=\$(cat /proc/irq/\$irq/smp_affinity_list 2>/dev/null)
  [ "\$cur" = 0 ] && to=1 || to=0
  echo \$to > /proc/irq/\$irq/smp_affinity_list && echo "gicsim-init: irq \$irq moved from cpu \$cur to cpu \$to"
  dd if=/dev/hwrng of=/dev/null bs=16 count=$MSI_READS 2>/dev/null
  echo "gicsim-init: read $MSI_READS blocks from /dev/hwrng, exit \$?"
  grep -i msi /proc/interrupts | sed 's/^/gicsim-init: irq /'
fi
echo "gicsim-init: done"
poweroff -f
echo o > /proc/sysrq-trigger
EOF
chmod +x "$RFS/init"
(cd "$RFS" && find . | cpio -o -H newc 2>/dev/null | gzip -6 > "$WORK/initrd.gz") \
  || die "building the initramfs failed"

# ---- boot under QEMU with tracing --------------------------------------------------------------
DEVICES=()
if [ "$WORKLOAD" = msi ]; then
  MACHINE="virt,gic-version=3,virtualization=on,its=on"
  TRACE=(-trace 'gicv3_*')
  DEVICES=(-device virtio-rng-pci)
elif [ "$GIC" = v3 ]; then
  MACHINE="virt,gic-version=3,virtualization=on,its=off"
  TRACE=(-trace 'gicv3_*')
else
  MACHINE="virt,gic-version=2,virtualization=on"
  TRACE=(-trace 'gic_*' -trace 'memory_region_ops_*')
fi
RAW="$WORK/qemu.log"
echo "record-linux-trace: booting $KPKG $KVER ($WORKLOAD, gic $GIC, smp $SMP, timeout ${TIMEOUT}s)" >&2
T0=$(date +%s)
set +e
# thread=single: one TCG thread runs all vCPUs, so the log is one global order and the
# multi-line exception records of two CPUs never interleave.
timeout "$TIMEOUT" qemu-system-aarch64 -M "$MACHINE" -accel tcg,thread=single -cpu max \
  -smp "$SMP" -m 1024 -nic none -kernel "$IMAGE" -initrd "$WORK/initrd.gz" \
  -append "console=ttyAMA0 panic=-1" -nographic -no-reboot "${DEVICES[@]}" \
  "${TRACE[@]}" -d int -D "$RAW" </dev/null 2>&1 | tr -d '\r' > "$CONSOLE"
QRC=${PIPESTATUS[0]}
set -e
T1=$(date +%s)
echo "record-linux-trace: QEMU exit $QRC after $((T1 - T0)) s, raw log $(stat -c %s "$RAW" 2>/dev/null || echo 0) bytes" >&2

# Keep: every gic*/gicv3* trace line; memory_region_ops_* only for the GIC's regions; exception
# records ("Taking exception" + its "..." lines) only when taken from EL1 to EL2 (guest exits),
# exception returns only from EL2 to EL1 (guest entries). Kept lines are verbatim.
FILTER='
function flush() { if (inrec && keep) print rec; inrec = 0; keep = 0 }
/^Taking exception / { flush(); inrec = 1; rec = $0; next }
inrec && /^\.\.\./ { rec = rec "\n" $0; if ($0 ~ /^\.\.\.from EL1 to EL2$/) keep = 1; next }
{ flush() }
/^Exception return from / { if ($0 ~ /^Exception return from AArch64 EL2 to AArch64 EL1 /) print; next }
/^memory_region_ops_(read|write) / { if ($0 ~ /name .gic_(dist|cpu|viface|vcpu).$/) print; next }
{ print }
END { flush() }'
[ -s "$RAW" ] || die "QEMU wrote no log"
awk "$FILTER" "$RAW" | xz -T2 -6 > "$OUT.tmp" && mv "$OUT.tmp" "$OUT" || die "filtering the log failed"
echo "record-linux-trace: $OUT: $(stat -c %s "$OUT") bytes xz, $(xz -dc "$OUT" | wc -l) lines; console $CONSOLE" >&2

# ---- checks ------------------------------------------------------------------------------------
[ "$QRC" -eq 124 ] && die "boot timed out after ${TIMEOUT}s (see $CONSOLE)"
grep -q "gicsim-init: reached /init" "$CONSOLE" || die "the kernel did not reach /init (see $CONSOLE)"
grep -q "gicsim-init: done" "$CONSOLE" || die "/init did not finish (see $CONSOLE)"
if [ "$WORKLOAD" = kvm ]; then
  grep -E "^case .* (PASS|FAIL)|^verdict|^gicsim-init: vmm" "$CONSOLE" || true
  runs=$(grep -c "^gicsim-init: vmm vcpus" "$CONSOLE" || true)
  verdicts=$(grep -cE "^verdict (eoimode [01] )?.*: (PASS|FAIL)" "$CONSOLE" || true)
  [ "$runs" -eq 4 ] && [ "$verdicts" -eq 4 ] || die "missing guest verdicts ($verdicts of 4, $runs vmm runs)"
  if grep -qE "^case .*: FAIL|^verdict .*: FAIL" "$CONSOLE"; then
    echo "record-linux-trace: a guest case FAILed" >&2
    exit 1
  fi
  grep -qE "^gicsim-init: vmm .* exit [^0]" "$CONSOLE" && die "a vmm run exited non-zero without a FAIL line"
fi
if [ "$WORKLOAD" = msi ]; then
  grep -E "^gicsim-init: (hwrng|read|irq|insmod)" "$CONSOLE" || true
  grep -q "^gicsim-init: insmod .* failed" "$CONSOLE" && die "a module did not load (see $CONSOLE)"
  grep -q "^gicsim-init: hwrng virtio_rng" "$CONSOLE" || die "virtio-rng is not the current hwrng (see $CONSOLE)"
  grep -qE "^gicsim-init: irq .*ITS-MSI" "$CONSOLE" || die "no interrupt through the ITS (see $CONSOLE)"
  msis=$(xz -dc "$OUT" | grep -c "^gicv3_its_translation_write " || true)
  [ "$msis" -gt 0 ] || die "the trace has no MSI (GITS_TRANSLATER write)"
  echo "record-linux-trace: $msis MSIs (GITS_TRANSLATER writes) in the trace" >&2
fi
echo "record-linux-trace: ok" >&2
