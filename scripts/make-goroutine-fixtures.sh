#!/usr/bin/env bash
# Regenerates test/fixtures/go-goroutines: the goroutine profile of one moment written three
# ways by the program in src/ (debug=0 protobuf, debug=1, debug=2 full dump), and the
# traceback of the same program panicking with GOTRACEBACK=all. Needs Go (apt-get install -y golang-go).
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/go-goroutines" && pwd)"
bin="$(mktemp -d)/goroutines"
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$dir/src" && go build -trimpath -o "$bin" .)
"$bin" -out "$dir"
# The panic exits with status 2; its traceback on stderr is the fixture.
GOTRACEBACK=all "$bin" -panic 2>"$dir/panic.txt" || true
ls -l "$dir"
