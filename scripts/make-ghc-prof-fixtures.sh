#!/usr/bin/env bash
# Regenerates test/fixtures/ghc-prof/: Main.hs built by Debian's ghc with profiling
# (ghc -prof -fprof-auto; the ghc-prof package holds the profiling libraries) and run three
# times, once per report form: +RTS -p (percent.prof), +RTS -P (ticks.prof, with ticks and
# bytes columns) and +RTS -pj (profile.json). Built in a fixed folder so that the reports
# name the same program on every run.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/ghc-prof" && pwd)"
work=/tmp/torch-ghc-prof
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp "$dir/Main.hs" "$work/"
cd "$work"
ghc -O0 -prof -fprof-auto -rtsopts Main.hs -o prog >/dev/null
./prog +RTS -p -RTS >/dev/null && mv prog.prof "$dir/percent.prof"
./prog +RTS -P -RTS >/dev/null && mv prog.prof "$dir/ticks.prof"
./prog +RTS -pj -RTS >/dev/null && mv prog.prof "$dir/profile.json"
ls -l "$dir"
