#!/usr/bin/env bash
# test.sh: the README's test command: set up, build, and run every test, plain and under ASan+UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
echo "== plain build (build/)"
"$root/scripts/build.sh" build
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"
if [ "${GICSIM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (build-san/)"
  BUILD_TYPE=Debug "$root/scripts/build.sh" build-san -DGICSIM_SANITIZE=ON
  # Every test but the fresh Linux recordings (label linux: QEMU runs the same there; the plain build
  # replays them, and the stored traces replay here under the sanitizers).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build-san" --output-on-failure -j "$(nproc)" -LE linux
fi
echo "== all tests passed"
