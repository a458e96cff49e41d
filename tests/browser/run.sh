#!/bin/sh
# Browser tests of a rendered site: tests/browser/run.sh SITE_DIR [SCREENSHOT_DIR]
# Every page from file:// and from a loopback server in Debian's Chromium
# (console errors, failed or off-machine requests, links and anchors,
# axe-core), the Nu HTML checker, and screenshots of the home page and one
# Trust page.
# A missing prerequisite (node 18.2 or later, npm, /usr/bin/chromium, java)
# fails the run (exit 1) under CI=true or as root, where `make test` has
# just run `sh scripts/deps.sh test` to install them; otherwise the suite is
# skipped (exit 0).
set -eu
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 SITE_DIR [SCREENSHOT_DIR]" >&2
	exit 2
fi
site=$1
shots=${2:-$here/../../build/screenshots}

SUITE=browser
. "$here/../prereq.sh"
need node npm
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is not installed"
need java
# playwright-core 1.61 needs node 18; server.mjs needs 18.2
# (closeAllConnections). Debian 12's nodejs is 18.20.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 2) ? 0 : 1)' 2>/dev/null ||
	skip "node $(node --version 2>/dev/null) is older than 18.2"

if [ ! -d "$site" ]; then
	echo "browser: FAILED: $site is not a folder"
	exit 1
fi

sh "$here/../npm-ci.sh" browser "$here"

mkdir -p "$shots"
exec node "$here/main.mjs" "$site" "$(cd "$shots" && pwd)"
