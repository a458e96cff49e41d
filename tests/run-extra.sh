#!/bin/sh
# Tests that drive the built binary: CLI behaviour, an end-to-end build of
# the default data, the DuckDB oracle, determinism of the published site,
# the PDF packs, the rules in words, the real Synthea sample, and the
# browser suite.
# Usage: tests/run-extra.sh BIN DATA_DIR
set -eu
BIN=$1
DATA=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
step() { printf '== %s\n' "$*"; }

step "CLI"
sh tests/cli.sh "$BIN" || fail=1

step "build on $DATA"
# Every model in the target: the oracle and figures.sh read int_area_trend.
"$BIN" build -q --materialize all --data "$DATA" --target "$tmp/target" --out "$tmp/site" >"$tmp/build.out" || {
	echo "medimart build failed:"; cat "$tmp/build.out"; fail=1; }
tail -n 1 "$tmp/build.out"

step "oracle (DuckDB)"
sh tests/oracle/run.sh "$DATA" "$tmp/target" data/risk_rules.txt || fail=1

step "RTT clock records: status 33, unknown clock start, a rejected pathway's appointments set aside"
sh tests/clocks.sh "$BIN" "$DATA" || fail=1

step "determinism: a second build gives a byte-identical site"
"$BIN" docs -q --data "$DATA" --target "$tmp/target2" --out "$tmp/site2" >/dev/null || fail=1
if diff -r "$tmp/site" "$tmp/site2" >/dev/null; then echo "identical"; else echo "site differs between runs"; fail=1; fi

step "disclosure: no patient id, pathway id or name of the input in the board site"
# Column of a header name in a CSV file (1-based).
colno() { head -n 1 "$1" | tr -d '\r' | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
pick() { f=$DATA/$1; c=$(colno "$f" "$2"); [ -n "$c" ] && tail -n +2 "$f" | cut -d, -f"$c"; }
{ pick patients.csv Id; pick waiting_list.csv PATHWAY_ID; pick patients.csv FIRST; pick patients.csv LAST; } |
	grep -v '^$' | sort -u >"$tmp/ids"
if grep -rFl -f "$tmp/ids" "$tmp/site" >"$tmp/leaks"; then
	echo "identifiers found in the board site:"; head -5 "$tmp/leaks"; fail=1
else
	echo "none of $(wc -l <"$tmp/ids") identifiers found in $(find "$tmp/site" -type f | wc -l) files"
fi
"$BIN" docs -q --audience clinical --data "$DATA" --target "$tmp/targetc" --out "$tmp/sitec" >/dev/null || fail=1
if grep -rFql -f "$tmp/ids" "$tmp/sitec"; then
	echo "the clinical site does carry identifiers (worklists), so the search above can find them"
else
	echo "the clinical site has no worklist identifiers: the search cannot be trusted"; fail=1
fi

step "clinical worklists in Chromium: no sideways scroll at 1366 px, filters, CSV of the rows shown"
sh tests/browser/worklist.sh "$tmp/sitec" || fail=1

step "disclosure: no published figure can be differenced to a suppressed value"
sh tests/sdc_check.sh "$BIN" "$DATA" || fail=1

step "PDF briefing packs"
sh tests/pdf.sh "$BIN" "$DATA" || fail=1

step "figures: the same figure agrees on the pages, in the packs and in the marts"
sh tests/figures.sh "$tmp/target" "$tmp/site" || fail=1

step "rules in words: each rule changed in turn, the site and packs follow"
sh tests/rules_words.sh "$BIN" || fail=1

sample=../shared/data/synthea-v3-sample
step "real Synthea export ($sample)"
if [ -d "$sample" ]; then
	"$BIN" build -q --data "$sample" --target "$tmp/st" --out "$tmp/ss" >"$tmp/sample.out" || {
		echo "build on the Synthea sample failed:"; cat "$tmp/sample.out"; fail=1; }
	tail -n 1 "$tmp/sample.out"
	# Its census list is empty and it has no bookings: no standard is
	# "met" by an empty list, no rate it cannot measure reads 0%, and no
	# sentence has an empty value in it ("overdue ()", "fallback: .").
	if [ -f "$tmp/ss/index.html" ]; then
		{ cat "$tmp/ss"/*.html; for f in "$tmp/ss"/packs/*.pdf; do pdftotext -q "$f" - 2>/dev/null || true; done; } |
			sed -e 's/<[^>]*>/ /g' | tr -s ' \t\n\r\f' '     ' >"$tmp/sample.txt"
		for p in "Green: meets the standard" " ( )" " ()" ": ." ": ;"; do
			if LC_ALL=C grep -qF -- "$p" "$tmp/sample.txt"; then
				echo "the empty Synthea sample publishes '$p':"
				LC_ALL=C grep -oF -- "$p" "$tmp/sample.txt" | head -1; fail=1
			fi
		done
		if LC_ALL=C grep -q 'class="kpi-value">0%<' "$tmp/ss"/*.html; then
			echo "the Synthea sample shows a rate it cannot measure as 0%"; fail=1
		fi
		LC_ALL=C grep -qF "No pathways" "$tmp/sample.txt" && LC_ALL=C grep -qF "not measured" "$tmp/sample.txt" &&
			echo "empty list: 'No pathways' and 'not measured', never Green or 0%" ||
			{ echo "the empty Synthea sample says neither 'No pathways' nor 'not measured'"; fail=1; }
	fi
else
	echo "SKIPPED: $sample is absent (it is outside this repository)"
fi

if [ -f tests/browser/run.sh ]; then
	step "browser tests"
	sh tests/browser/run.sh "$tmp/site" || fail=1
fi

[ $fail -eq 0 ] && echo "extra tests: all passed" || echo "extra tests: FAILED"
exit $fail
