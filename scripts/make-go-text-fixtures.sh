#!/usr/bin/env bash
# Regenerates test/fixtures/go-text/*.txt: Go's legacy text profiles (debug=1)
# written by the program in test/fixtures/go-text/src. Needs Go
# (apt-get install -y golang-go).
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/fixtures/go-text" && pwd)"
bin="$(mktemp -d)/gotext"
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$dir/src" && go build -o "$bin" .)
"$bin" -out "$dir"
ls -l "$dir"/*.txt
