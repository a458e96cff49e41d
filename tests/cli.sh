#!/bin/sh
# Exit statuses and messages of the medimart command line.
# Usage: sh tests/cli.sh path/to/medimart
# Builds small data folders from a tiny generated set, corrupts copies of
# them, and checks what the tool says. Exits non-zero if any check fails.
set -u

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
	echo "usage: sh tests/cli.sh path/to/medimart" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
# Seeds and rules are found in the project's data/ folder: run from the root.
cd "$(dirname "$0")/.." || exit 2

TMP=$(mktemp -d /tmp/medimart-cli-XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM

checks=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL: $1" >&2
	shift
	for line in "$@"; do
		echo "      $line" >&2
	done
	echo "      stderr was:" >&2
	sed 's/^/        /' "$TMP/err" | head -20 >&2
}

# expect NAME STATUS COMMAND...: runs COMMAND, keeps its stdout and stderr
# in $TMP/out and $TMP/err, and checks the exit status.
expect() {
	name=$1
	want=$2
	shift 2
	checks=$((checks + 1))
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name" "exit status $got, want $want: $*"
		return 1
	fi
	return 0
}

# stderr_has NAME TEXT: the last command's stderr holds TEXT (fixed string).
stderr_has() {
	checks=$((checks + 1))
	if ! grep -qF -- "$2" "$TMP/err"; then
		fail "$1" "stderr lacks: $2"
		return 1
	fi
	return 0
}

stdout_has() {
	checks=$((checks + 1))
	if ! grep -qF -- "$2" "$TMP/out"; then
		fail "$1" "stdout lacks: $2"
		return 1
	fi
	return 0
}

stdout_empty() {
	checks=$((checks + 1))
	if [ -s "$TMP/out" ]; then
		fail "$1" "stdout is not empty: $(head -c 200 "$TMP/out")"
		return 1
	fi
	return 0
}

# ---- help, version, usage errors ----
expect "--help" 0 "$BIN" --help && stdout_has "--help" "usage: medimart"
expect "--version" 0 "$BIN" --version && stdout_has "--version" "medimart "
for verb in synth run test docs pack build; do
	expect "$verb --help" 0 "$BIN" "$verb" --help && stdout_has "$verb --help" "usage: medimart $verb"
done
expect "no arguments" 2 "$BIN"
expect "unknown verb" 2 "$BIN" frobnicate && stderr_has "unknown verb" "medimart: error:"
expect "unknown option" 2 "$BIN" run --frobnicate && stderr_has "unknown option" "medimart: error:"
expect "option of another verb" 2 "$BIN" run --patients 5 && stderr_has "option of another verb" "medimart: error:"
expect "stray argument" 2 "$BIN" run extra && stderr_has "stray argument" "medimart: error:"
expect "bad --census month" 2 "$BIN" run --census 2025-13-01 && stderr_has "bad --census month" "medimart: error:"
expect "bad --census leap day" 2 "$BIN" run --census 2023-02-29 &&
	stderr_has "bad --census leap day" "medimart: error:"
expect "bad --census text" 2 "$BIN" test --census yesterday && stderr_has "bad --census text" "medimart: error:"
expect "bad --patients" 2 "$BIN" synth --patients 0 && stderr_has "bad --patients" "medimart: error:"
expect "bad --seed" 2 "$BIN" synth --seed -1 && stderr_has "bad --seed" "medimart: error:"

# ---- a tiny generated data set, deterministic ----
GOOD=$TMP/good
if ! expect "synth" 0 "$BIN" synth --patients 20 --seed 1 --out "$GOOD" -q; then
	echo "cli.sh: cannot generate data; $failed of $checks checks failed" >&2
	exit 1
fi
for f in patients organizations providers encounters conditions procedures careplans \
	waiting_list appointments sessions org_hierarchy; do
	checks=$((checks + 1))
	[ -s "$GOOD/$f.csv" ] || fail "synth" "no $f.csv written"
done
expect "synth again" 0 "$BIN" synth --patients 20 --seed 1 --out "$TMP/again" -q
checks=$((checks + 1))
diff -r "$GOOD" "$TMP/again" >/dev/null || fail "synth determinism" "two runs with the same arguments differ"
rm -rf "$TMP/again"

# copy NAME: a fresh copy of the good data set in $TMP/NAME.
copy() {
	rm -rf "${TMP:?}/$1"
	cp -R "$GOOD" "$TMP/$1"
}

expect "run on good data" 0 "$BIN" run --data "$GOOD" --target "$TMP/t-good" -q &&
	stdout_empty "run on good data"

# ---- a missing required column: exit 2, FILE:1: error ----
copy nocol
sed -i '1s/\(^\|,\)GENDER\(,\|$\)/\1SEX\2/' "$TMP/nocol/patients.csv"
expect "missing required column" 2 "$BIN" run --data "$TMP/nocol" --target "$TMP/t-nocol" -q &&
	stderr_has "missing required column" \
		"medimart: $TMP/nocol/patients.csv:1: error: missing required column 'GENDER'"

# ---- an unterminated quote: exit 2, FILE:LINE:COL of the quote ----
copy quote
line=$(($(wc -l <"$TMP/quote/patients.csv") + 1))
printf 'ZZZ,"unterminated\n' >>"$TMP/quote/patients.csv"
expect "unterminated quote" 2 "$BIN" run --data "$TMP/quote" --target "$TMP/t-quote" -q &&
	stderr_has "unterminated quote" \
		"medimart: $TMP/quote/patients.csv:$line:5: error: unterminated quoted field"

# ---- a missing required file: exit 2 naming it ----
copy nofile
rm "$TMP/nofile/patients.csv"
expect "missing required file" 2 "$BIN" run --data "$TMP/nofile" --target "$TMP/t-nofile" -q &&
	stderr_has "missing required file" "$TMP/nofile/patients.csv" &&
	stderr_has "missing required file" "error:"

# ---- a missing optional file: reported, not fatal ----
copy noopt
rm "$TMP/noopt/careplans.csv"
expect "missing optional file" 0 "$BIN" run --data "$TMP/noopt" --target "$TMP/t-noopt" &&
	stderr_has "missing optional file" "careplans"

# ---- a bad cell and a short row: counted rejects, reported, exit 0 ----
copy bad
pline=$(($(wc -l <"$TMP/bad/patients.csv") + 1))
sed -n 2p "$TMP/bad/patients.csv" |
	sed -E 's/^/X/; s/[0-9]{4}-[0-9]{2}-[0-9]{2}/1990-02-30/' >>"$TMP/bad/patients.csv"
hline=$(($(wc -l <"$TMP/bad/org_hierarchy.csv") + 1))
echo "broken,row" >>"$TMP/bad/org_hierarchy.csv"
expect "rejected rows" 0 "$BIN" run --data "$TMP/bad" --target "$TMP/t-bad" -q &&
	stderr_has "rejected rows" "medimart: $TMP/bad/patients.csv:$pline:2: warning: row rejected: BIRTHDATE:" &&
	stderr_has "rejected rows" "'1990-02-30' is not a date" &&
	stderr_has "rejected rows" "medimart: $TMP/bad/org_hierarchy.csv:$hline:3: warning: row rejected" &&
	stderr_has "rejected rows" "found 2"

if [ "$failed" -ne 0 ]; then
	echo "cli.sh: $failed of $checks checks failed" >&2
	exit 1
fi
echo "cli.sh: all $checks checks passed"
