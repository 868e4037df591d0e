#!/usr/bin/env bash
# Regenerates samples/node/workload.cpuprofile, the V8 CPU profile the
# cpuprofile reader's tests run against, by profiling samples/node/workload.js.
# A 500 µs sampling interval gives ~2,000 samples: enough detail, still a small file.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="$(mktemp -d)"
trap 'rm -rf "$out_dir"' EXIT

node --cpu-prof --cpu-prof-interval=500 --cpu-prof-dir="$out_dir" --cpu-prof-name=workload.cpuprofile \
  "$repo/samples/node/workload.js"
cp "$out_dir/workload.cpuprofile" "$repo/samples/node/workload.cpuprofile"
echo "wrote samples/node/workload.cpuprofile ($(wc -c <"$repo/samples/node/workload.cpuprofile") bytes)"
