#!/usr/bin/env bash
# Installs the Debian packages named as arguments with apt-get (as root, or
# through sudo); nothing when none is named. Shared by the install-*-deps scripts.
set -euo pipefail

[ $# -gt 0 ] || exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: $*" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
