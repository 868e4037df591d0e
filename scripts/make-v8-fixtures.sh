#!/usr/bin/env bash
# Regenerates test/fixtures/v8/alloc.heapprofile: node --heap-prof on alloc.js.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/v8" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$dir" && node --heap-prof --heap-prof-dir="$work" --heap-prof-interval=4096 alloc.js >/dev/null)
cp "$work"/*.heapprofile "$dir/alloc.heapprofile"
ls -l "$dir"
