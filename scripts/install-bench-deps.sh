#!/usr/bin/env bash
# Installs what `npm run bench` needs beyond npm packages: GNU time (peak RSS
# of every measured process, node and go alike) and Go (`go tool pprof -raw`,
# the pprof baseline). Debian packages; skips what is present.
set -euo pipefail

missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v go >/dev/null 2>&1 || missing+=(golang-go)

bash "$(dirname "$0")/apt-install.sh" ${missing[@]+"${missing[@]}"}
