#!/bin/sh
# Runs the DuckDB oracle against a MediMart target folder.
# Usage: tests/oracle/run.sh DATA_DIR TARGET_DIR RULES_FILE
# A missing prerequisite (node 18 or later, npm) fails the run (exit 1)
# under CI=true or as root, where `make test` has just run
# `sh scripts/deps.sh test` to install them; otherwise the oracle is
# skipped (exit 0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
skip() {
	if [ "${CI:-}" = true ] || [ "$(id -u)" -eq 0 ]; then
		echo "oracle: FAILED: $* (run: sh scripts/deps.sh test)"
		exit 1
	fi
	echo "oracle: SKIPPED: $* (run: sh scripts/deps.sh test)"
	exit 0
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
# @duckdb/node-api's prebuilt linux-x64 binding loads on Debian 12's node 18.
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null ||
	skip "node $(node --version 2>/dev/null) is older than 18"

sh "$here/../npm-ci.sh" oracle "$here"
exec node "$here/oracle.mjs" "$@"
