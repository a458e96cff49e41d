#!/bin/sh
# Checks the Debian 12 packages MediMart needs and installs the missing ones
# when run as root; otherwise prints the exact apt-get line and fails.
#
#   sh scripts/deps.sh        what `make run` needs: compiler, libraries, fonts
#   sh scripts/deps.sh test   and what `make test` needs on top: Criterion,
#                             poppler-utils and qpdf (PDF checks), jq (JSON
#                             checks), Node.js and npm (DuckDB oracle, browser
#                             suite), Chromium and a Java runtime (browser
#                             suite, Nu HTML checker)
#   sh scripts/deps.sh fuzz   what `make fuzz` needs on top of run: clang and
#                             its libFuzzer and sanitizer runtimes
set -u
mode=${1:-run}
# Package name, and for the programs that may come from elsewhere (a newer
# Node.js, another JDK) the command that stands for it: "pkg" or "pkg:cmd".
RUN="build-essential pkg-config libcsv-dev libcmark-dev libhpdf-dev fonts-dejavu-core fonts-dejavu-extra"
FUZZ="clang libclang-rt-14-dev"
TEST="libcriterion-dev poppler-utils qpdf jq nodejs:node npm:npm chromium:/usr/bin/chromium default-jre-headless:java"
case $mode in
run) want=$RUN ;;
test) want="$RUN $TEST" ;;
fuzz) want="$RUN $FUZZ" ;;
*) echo "usage: sh scripts/deps.sh [run|test|fuzz]" >&2; exit 2 ;;
esac

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=""
for item in $want; do
	pkg=${item%%:*}
	cmd=
	[ "$pkg" != "$item" ] && cmd=${item#*:}
	if [ -n "$cmd" ]; then
		case $cmd in
		/*) [ -x "$cmd" ] && continue ;;
		*) command -v "$cmd" >/dev/null 2>&1 && continue ;;
		esac
	fi
	installed "$pkg" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "medimart: error: missing Debian packages:$missing" >&2
	echo "Run: sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 2
fi
echo "medimart: installing Debian packages:$missing" >&2
log=${TMPDIR:-/tmp}/medimart-apt.log
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >"$log" 2>&1 &&
	apt-get install -y -qq --no-install-recommends $missing >>"$log" 2>&1; then
	echo "medimart: installed (apt-get log: $log)" >&2
	exit 0
fi
tail -n 20 "$log" >&2
echo "medimart: error: apt-get failed; the full log is $log" >&2
exit 2
