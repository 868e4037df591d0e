#!/usr/bin/env bash
# Regenerates test/fixtures/callgrind/: valgrind's callgrind (Debian valgrind) on prog.c built
# with gcc -g -O0, and callgrind_annotate's reports of each file as the oracle. The program is
# built and run in a fixed folder so that the object and file names in the output are the same
# on every run.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/callgrind" && pwd)"
work=/tmp/torch-callgrind
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp "$dir/prog.c" "$work/"
cd "$work"
gcc -g -O0 -o prog prog.c

# Default options: one event (Ir), compressed names and positions.
valgrind --tool=callgrind --callgrind-out-file=prog.callgrind ./prog >/dev/null 2>&1
# Cache and branch simulation: many events; per-instruction positions (instr line, hex, relative).
valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --dump-instr=yes --callgrind-out-file=cache.callgrind ./prog >/dev/null 2>&1
# No name or position compression.
valgrind --tool=callgrind --compress-strings=no --compress-pos=no --callgrind-out-file=plain.callgrind ./prog >/dev/null 2>&1

for out in prog cache plain; do
  cp "$out.callgrind" "$dir/"
  # The oracle: every function's self and inclusive cost (--threshold=100 lists them all).
  callgrind_annotate --auto=no --threshold=100 --inclusive=no "$out.callgrind" > "$dir/$out.self.txt"
  callgrind_annotate --auto=no --threshold=100 --inclusive=yes "$out.callgrind" > "$dir/$out.inclusive.txt"
done
# A second event of the cache run, for --sample-index.
callgrind_annotate --auto=no --threshold=100 --inclusive=no --show=Dr --sort=Dr cache.callgrind > "$dir/cache.Dr.self.txt"
ls -l "$dir"
