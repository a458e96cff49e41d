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
SUITE=worklist
. "$here/../prereq.sh"
need node npm
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is not installed"
sh "$here/../npm-ci.sh" browser "$here"
exec node "$here/worklist.mjs" "$1"
