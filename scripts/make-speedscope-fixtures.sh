#!/usr/bin/env bash
# Regenerates test/fixtures/speedscope/*.speedscope.json with speedscope itself (npm
# `speedscope`, run in headless Chromium): each input is opened in speedscope and saved
# with its Export button. Needs Chromium at /usr/bin/chromium and `npm ci` done.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version=1.25.0
(cd "$work" && npm pack --silent "speedscope@$version" >/dev/null && tar xzf "speedscope-$version.tgz")
out="$root/test/fixtures/speedscope"
node "$root/scripts/speedscope-export.mjs" "$work/package/dist/release/index.html" \
  "$root/test/fixtures/corpus/flamegraph-folded/folded/example-perf.folded" "$out/example-perf.speedscope.json"
ls -l "$out"
