#!/usr/bin/env bash
# Regenerates test/fixtures/gperftools/: a binary CPU profile and a heap
# profile written by gperftools (Debian libgoogle-perftools-dev) for the
# program in test/fixtures/gperftools/src.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/gperftools" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O1 -g -fno-omit-frame-pointer -o "$work/work" "$dir/src/work.c" -lprofiler -ltcmalloc
CPUPROFILE_FREQUENCY=250 "$work/work" "$work"
cp "$work/cpu.prof" "$dir/cpu.prof"
cp "$work/heap.0001.heap" "$dir/heap.heap"
ls -l "$dir"
