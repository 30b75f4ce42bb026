#!/usr/bin/env bash
# run.sh: the README's main command: set up, build the gicsim program, and run its main job
# (the SPEND/CPEND latency benchmark) on the built-in default configuration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
BUILD_TARGET=gicsim "$root/scripts/build.sh" build >/dev/null
exec "$root/build/gicsim" bench "$@"
