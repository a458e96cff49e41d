#!/bin/sh
# Runs the DuckDB oracle against a MediMart target folder.
# Usage: tests/oracle/run.sh DATA_DIR TARGET_DIR RULES_FILE
# TARGET_DIR from a run with --materialize all: the oracle reads the
# intermediate int_area_trend as well as the marts.
# A missing prerequisite (node 18 or later, npm) fails the run (exit 1)
# under CI=true or as root, where `make test` has just run
# `sh scripts/deps.sh test` to install them; otherwise the oracle is
# skipped (exit 0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SUITE=oracle
. "$here/../prereq.sh"
need node npm
# @duckdb/node-api's prebuilt linux-x64 binding loads on Debian 12's node 18.
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null ||
	skip "node $(node --version 2>/dev/null) is older than 18"

sh "$here/../npm-ci.sh" oracle "$here"
exec node "$here/oracle.mjs" "$@"
