#!/bin/sh
# Checks the Debian packages MediMart needs; installs them when run as root,
# otherwise prints the exact command and fails.
set -u
PKGS="build-essential pkg-config libcsv-dev libcmark-dev libhpdf-dev libcriterion-dev fonts-dejavu-core"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "medimart: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
	echo "medimart: error: apt-get failed" >&2
	exit 2
fi
echo "medimart: error: missing Debian packages:$missing" >&2
echo "Run: sudo apt-get install -y$missing" >&2
exit 2
