#!/bin/sh
# Builds the BPF programs without Java: both hooks with the default configuration (map
# strategy, NAT on), and every header on its own (each includes what it uses).
#   bpf/build.sh [OUT_DIR]        (default: bpf/build; CLANG=... picks the compiler)
# xnet builds the same sources with the same flags (bpf/clang.flags) plus its generated header.
set -eu
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$DIR/build}
CLANG=${CLANG:-$(command -v clang-16 || command -v clang-19 || command -v clang || true)}
[ -n "$CLANG" ] || { echo "build.sh: no clang (tried clang-16, clang-19, clang)" >&2; exit 2; }
FLAGS=$(grep -v '^#' "$DIR/clang.flags" | tr '\n' ' ')
MULTIARCH=/usr/include/$(uname -m)-linux-gnu
[ -d "$MULTIARCH" ] && FLAGS="$FLAGS -I$MULTIARCH"
mkdir -p "$OUT"
for source in xnet_tc.c xnet_xdp.c; do
  # shellcheck disable=SC2086
  "$CLANG" $FLAGS -c "$DIR/$source" -o "$OUT/${source%.c}.o"
  echo "built $OUT/${source%.c}.o"
done
for header in "$DIR"/include/*.h "$DIR"/lib/*.h; do
  # shellcheck disable=SC2086
  "$CLANG" $FLAGS -fsyntax-only -x c "$header"
done
echo "every header compiles on its own"
