#!/usr/bin/env bash
# build.sh: configure and build gicsim into DIR (default build/) with optional CMake arguments;
# BUILD_TARGET=name builds one target only (the README's main command builds just `gicsim`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}; shift || true
cmake -S "$root" -B "$root/$dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$root/$dir" -j "$(nproc)" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
