#!/usr/bin/env bash
# run.sh: the README's main command: set up, build, and run gicsim's main job on its default configuration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" build >/dev/null
exec "$root/build/gicsim" demo "$@"
