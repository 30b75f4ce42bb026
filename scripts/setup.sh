#!/usr/bin/env bash
# setup.sh: install the Debian packages gicsim needs (idempotent; silent when all are present).
set -euo pipefail
# python3: the register-map generator (tomllib) and the QEMU differential tests.
# libsystemc-dev + pkg-config: the TLM-2.0 modules (tlm/). qemu-system-arm: QEMU's GIC models, our peer.
# liblzma-dev, xz-utils: gicsim replay reads the stored xz-compressed traces of real software.
# clang-format-14: the style check (.clang-format, scripts/format.sh, test format_check).
# clang-14, libclang-rt-14-dev: the libFuzzer targets (testbenches/fuzz, docs/fuzzing.md) in the sanitizer build.
# python3-pytest, python3-matplotlib: the Python package's tests and example (python/, docs/python.md).
# libfdt-dev, device-tree-compiler: --dtb (dt/, docs/dt.md) and its tests' hand-written device trees.
# parallel: GNU parallel runs a planned sweep's points in the test of gicsim sweep --plan (docs/benchmark.md).
PKGS=(build-essential cmake ninja-build pkg-config python3 libgtest-dev libbenchmark-dev libsystemc-dev
      qemu-system-arm verilator liblzma-dev xz-utils clang-14 libclang-rt-14-dev clang-format-14 parallel
      python3-pytest python3-matplotlib libfdt-dev device-tree-compiler)
# `import gicsim` (python/, docs/python.md) for this user's python3 and Debian's: a gicsim.pth in each one's user
# site-packages names this checkout's python/ directory (rewritten when the checkout moves; silent otherwise).
root=$(cd "$(dirname "$0")/.." && pwd)
for py in python3 /usr/bin/python3; do
  site=$("$py" -c 'import site; print(site.getusersitepackages())' 2>/dev/null) || continue
  [ "$(cat "$site/gicsim.pth" 2>/dev/null)" = "$root/python" ] && continue
  mkdir -p "$site" && printf '%s\n' "$root/python" >"$site/gicsim.pth" \
    || { echo "setup: cannot write $site/gicsim.pth" >&2; exit 2; }
done
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
