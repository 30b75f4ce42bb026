#!/usr/bin/env bash
# format.sh [--check]: apply the tree's C/C++ style (.clang-format, clang-format 14) to every C and C++ source of
# the repository, or with --check change nothing and list the files that do not follow it (exit 1 if any).
# Exit 2 when clang-format 14 is missing (scripts/setup.sh installs it) or the file list cannot be made.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
CF="$(command -v clang-format-14 || true)"
if [ -z "$CF" ]; then
  echo "format.sh: clang-format-14 not found (scripts/setup.sh installs it)" >&2
  exit 2
fi
cd "$ROOT"
# The sources: what git tracks in a checkout; otherwise every C/C++ file outside build directories.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.c' '*.h' '*.cpp' '*.hpp')
else
  mapfile -t files < <(find . -path './build*' -prune -o -path './.git' -prune -o \
                       \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) -print | sed 's|^\./||' | sort)
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "format.sh: no C/C++ sources found under $ROOT" >&2
  exit 2
fi
if [ "$check" -eq 0 ]; then
  "$CF" -i --style=file "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$CF" --dry-run --Werror --style=file "$f" >/dev/null 2>&1; then
    echo "format.sh: $f does not follow .clang-format (scripts/format.sh fixes it)"
    bad=1
  fi
done
[ "$bad" -eq 0 ] && echo "format.sh: ${#files[@]} files follow .clang-format"
exit "$bad"
