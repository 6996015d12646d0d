#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/deps.sh: what the performance bench needs beyond tests/deps.sh:
# gnuplot (the chart) and python3 (the table and JSON).
set -euo pipefail
pkgs=""
command -v gnuplot >/dev/null 2>&1 || pkgs="$pkgs gnuplot-nox"
command -v python3 >/dev/null 2>&1 || pkgs="$pkgs python3"
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing Debian packages:$pkgs" >&2
	echo "install them with: sudo apt-get install$pkgs" >&2
	exit 1
fi
echo "installing:$pkgs" >&2
apt-get install -y --no-install-recommends $pkgs >/dev/null
