#!/bin/sh
# build-native.sh: compiles the native helper (src/supervisor/native/legacyd-helper.c) into
# dist/native/legacyd-helper. Without a C compiler it says so and builds nothing: legacyd then
# runs the same helper as a Perl script. Part of `npm run build`.
set -eu
cd "$(dirname "$0")/.."
src=src/supervisor/native/legacyd-helper.c
out=dist/native/legacyd-helper
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build: no C compiler ($cc): dist/native/legacyd-helper not built; legacyd will run its Perl helper" >&2
  exit 0
fi
mkdir -p dist/native
"$cc" -O2 -Wall -Wextra -o "$out.tmp" "$src"
mv -f "$out.tmp" "$out"
