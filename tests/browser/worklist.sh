#!/bin/sh
# The clinical worklists in Chromium: tests/browser/worklist.sh CLINICAL_SITE_DIR
# (see worklist.mjs). Skipped, like run.sh, when node, npm or
# /usr/bin/chromium is missing, except under CI=true or as root.
set -eu
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
if [ $# -ne 1 ]; then
	echo "usage: $0 CLINICAL_SITE_DIR" >&2
	exit 2
fi
skip() {
	if [ "${CI:-}" = true ] || [ "$(id -u)" -eq 0 ]; then
		echo "worklist: FAILED: $* (run: sh scripts/deps.sh test)"
		exit 1
	fi
	echo "worklist: SKIPPED: $* (run: sh scripts/deps.sh test)"
	exit 0
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is not installed"
sh "$here/../npm-ci.sh" browser "$here"
exec node "$here/worklist.mjs" "$1"
