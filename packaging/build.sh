#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# packaging/build.sh [OUTDIR]: what `make deb` runs. Builds the Debian
# packages bt6lowpan-dkms (Architecture: all, the module's sources for
# DKMS) and bt6ctl (the tool and the boot files) from a copy of the tree
# in OUTDIR/bt6lowpan-VERSION (default OUTDIR: build/deb), with
# packaging/debian as its debian/ and a debian/changelog written here:
# the version is PACKAGE_VERSION of dkms.conf, nowhere else. The .deb
# files land in OUTDIR; their paths are printed, one a line, on stdout.
# Build dependencies (debian/control): debhelper, dh-dkms, pkg-config,
# libnl-genl-3-dev, libbluetooth-dev; tests/deps.sh installs them.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
[ -n "$version" ] || { echo "build.sh: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }

if ! missing=$(cd "$top/packaging" && dpkg-checkbuilddeps debian/control 2>&1); then
	echo "build.sh: $missing" >&2
	echo "build.sh: install them with: apt-get install debhelper dh-dkms pkg-config" \
		"libnl-genl-3-dev libbluetooth-dev" >&2
	exit 1
fi

stage=$out/bt6lowpan-$version
rm -rf "$stage" "$out"/bt6lowpan*.deb "$out"/bt6ctl*.deb "$out"/bt6ctl*.ddeb \
	"$out"/bt6lowpan_*.changes "$out"/bt6lowpan_*.buildinfo
mkdir -p "$stage"
# what the packages are built from: in a git checkout the files git has or
# would add (no build outputs: .gitignore), else everything
parts="dkms.conf Kbuild LICENSE module tools"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard -- $parts |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -xf - -C "$stage"
else
	(cd "$top" && cp -a $parts "$stage/")
fi
cp -a "$top/packaging/debian" "$stage/debian"

# debian/changelog: one entry, this version; the date of the last commit
# when there is one (the same tree gives the same packages)
maint=$(sed -n 's/^Maintainer: *//p' "$top/packaging/debian/control")
when=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo "no git")
cat >"$stage/debian/changelog" <<EOT
bt6lowpan ($version) unstable; urgency=medium

  * Built from the bt6lowpan tree ($rev); version from dkms.conf.

 -- $maint  $(LC_ALL=C date -u -R -d "@$when")
EOT

if ! (cd "$stage" && SOURCE_DATE_EPOCH=$when dpkg-buildpackage -b -us -uc) \
	>"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "build.sh: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
	exit 1
fi
ls "$out"/bt6lowpan-dkms_"$version"_all.deb "$out"/bt6ctl_"$version"_*.deb
