#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Go (to build the
# sample programs and run `go tool pprof` as the oracle), Chromium (browser
# tests) and openssl (HTTPS tests). Debian packages; skips what is present.
set -euo pipefail

missing=()
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -d node_modules ] || npm ci

bash "$(dirname "$0")/apt-install.sh" ${missing[@]+"${missing[@]}"}
