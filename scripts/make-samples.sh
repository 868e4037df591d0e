#!/usr/bin/env bash
# Regenerates the committed Go sample profiles in samples/goprog/ by building
# and running the sample program there. Needs Go (apt-get install -y golang-go).
set -euo pipefail

goprog="$(cd "$(dirname "$0")/../samples/goprog" && pwd)"
bin="$(mktemp -d)/torchsample"
trap 'rm -rf "$(dirname "$bin")"' EXIT

(cd "$goprog" && go build -o "$bin" .)
"$bin" -out "$goprog"
ls -l "$goprog"/*.pprof
