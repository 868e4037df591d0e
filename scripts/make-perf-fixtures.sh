#!/usr/bin/env bash
# Regenerates test/fixtures/perf/: real `perf script` output of two small
# programs (C and Rust) and perf's own reports on the same recordings, which
# the tests use as the oracle. Needs perf (Debian linux-perf), gcc and rustc,
# and perf_event_paranoid <= 2.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/perf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O1 -g -fno-omit-frame-pointer -o "$work/busy" "$out/src/busy.c"
rustc -O -g -C force-frame-pointers=yes -o "$work/workers" "$out/src/workers.rs"

# perf record without -g: one line per sample.
perf record -q -F 499 -o "$work/busy.data" -- "$work/busy" 60 >/dev/null
perf script -i "$work/busy.data" > "$out/busy-no-callgraph.txt"
perf report -i "$work/busy.data" --stdio --sort comm,dso,sym -F period,sample,comm,dso,sym \
  > "$out/busy-no-callgraph.report.txt"

# perf record -g on Rust: the same samples with raw legacy-mangled symbols and
# with perf's own demangling.
perf record -q -g -F 99 -o "$work/workers.data" -- "$work/workers" 6 >/dev/null
perf script -i "$work/workers.data" --no-demangle > "$out/workers-mangled.txt"
perf script -i "$work/workers.data" > "$out/workers-demangled.txt"
ls -l "$out"
