#!/bin/sh
# Differencing check of the board output (docs/disclosure.md).
#
# 1. The checker itself: each hand-made ledger in tests/fixtures/sdc/ that
#    leaks (a total and its parts that pin a "*") must be caught, and the
#    ones that do not leak must pass.
# 2. Builds with MM_SDC_LEDGER set, so that the renderer lists every
#    controlled figure it publishes (pages, packs, downloads), and runs the
#    checker over each: the data given, and a 1,000-patient synthetic set.
#
# Usage: tests/sdc_check.sh BIN [DATA_DIR...]
set -eu
BIN=$1
shift
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for f in "$here"/fixtures/sdc/*.tsv; do
	name=$(basename "$f" .tsv)
	if awk -f "$here/sdc_check.awk" "$f" >"$tmp/out" 2>&1; then got=pass; else got=leak; fi
	case $name in
	cut_listing | zeros_hidden) want=pass ;;
	*) want=leak ;;
	esac
	if [ "$got" = "$want" ]; then
		echo "ok: fixture $name ($got)"
	else
		echo "FAIL: fixture $name: expected $want, got $got"; cat "$tmp/out"; fail=1
	fi
done

audit() { # label data-dir
	rm -f "$tmp/ledger"
	if ! MM_SDC_LEDGER="$tmp/ledger" "$BIN" build -q --data "$2" --target "$tmp/target" --out "$tmp/site" \
		>"$tmp/build.out" 2>&1; then
		echo "FAIL: build on $1"; tail -5 "$tmp/build.out"; fail=1; return
	fi
	if [ ! -s "$tmp/ledger" ]; then
		echo "FAIL: $1: the build wrote no ledger"; fail=1; return
	fi
	if awk -f "$here/sdc_check.awk" "$tmp/ledger" >"$tmp/found" 2>"$tmp/summary"; then
		echo "ok: $1: $(cat "$tmp/summary")"
	else
		echo "FAIL: $1: $(cat "$tmp/summary")"; head -20 "$tmp/found"; fail=1
	fi
	rm -rf "$tmp/target" "$tmp/site"
}

for d in "$@"; do
	audit "$d" "$d"
done
"$BIN" synth --patients 1000 --seed 42 --out "$tmp/d1k" >/dev/null 2>&1 || { echo "FAIL: synth"; fail=1; }
[ -d "$tmp/d1k" ] && audit "1,000 synthetic patients (seed 42)" "$tmp/d1k"

exit $fail
