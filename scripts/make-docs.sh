#!/usr/bin/env bash
# Regenerates the README's pictures from the bundled sample and the peer corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null
results=test/fixtures/corpus/flamegraph-perf/results
node dist/bin/torch.cjs samples/goprog/cpu.pprof --title "torch: Go CPU profile (samples/goprog)" -o docs/cpu.svg
node dist/bin/torch.cjs diff "$results/perf-funcab-cmd-01-collapsed-all.txt" "$results/perf-funcab-pid-01-collapsed-all.txt" \
  --subtitle "before: perf-funcab-cmd-01, after: perf-funcab-pid-01 (FlameGraph test corpus)" -o docs/diff.svg
