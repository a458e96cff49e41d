#!/bin/sh
# Runs the DuckDB oracle against a MediMart target folder.
# Usage: tests/oracle/run.sh DATA_DIR TARGET_DIR RULES_FILE
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "oracle: SKIPPED: Node.js/npm not installed (apt-get install nodejs npm); CI installs them" >&2
	exit 0
fi
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
	(cd "$here" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) || {
		echo "oracle: error: npm install of @duckdb/node-api failed" >&2
		exit 1
	}
fi
exec node "$here/oracle.mjs" "$@"
