#!/usr/bin/env bash
# Regenerates test/fixtures/stackprof: workload.rb profiled by Ruby's stackprof (Debian
# ruby-stackprof) in cpu and object mode with raw samples, saved as JSON by `stackprof --json`,
# with stackprof's own reports of the same dumps (--stackcollapse, --text) as the oracle.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/stackprof" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$dir"
for mode in cpu object; do
  ruby workload.rb "$mode" "$work/$mode.dump"
  stackprof --json "$work/$mode.dump" > "$mode.json"
  stackprof --stackcollapse "$work/$mode.dump" > "$mode.stackcollapse"
  stackprof --text --limit 0 "$work/$mode.dump" > "$mode.text"
done
ls -l "$dir"
