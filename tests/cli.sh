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

# file_has NAME FILE TEXT / file_lacks NAME FILE TEXT: a fixed string in a file.
file_has() {
	checks=$((checks + 1))
	if ! grep -qF -- "$3" "$2"; then
		fail "$1" "$2 lacks: $3"
		return 1
	fi
	return 0
}

file_lacks() {
	checks=$((checks + 1))
	if grep -qF -- "$3" "$2"; then
		fail "$1" "$2 has: $3"
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
for verb in synth run test docs pack build ls lineage; do
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

# ---- run record and manifest: valid JSON ----
for f in run_results.json manifest.json; do
	checks=$((checks + 1))
	python3 -m json.tool "$TMP/t-good/$f" >/dev/null 2>"$TMP/err" || fail "$f is JSON" "python3 -m json.tool rejects it"
done
checks=$((checks + 1))
python3 - "$TMP/t-good/manifest.json" >"$TMP/out" 2>"$TMP/err" <<'PY' || fail "manifest content" "$(cat "$TMP/out")"
import json, sys
m = json.load(open(sys.argv[1]))
names = {x["name"] for x in m["models"]}
cols = {x["name"]: {c["name"]: c for c in x["columns"]} for x in m["models"]}
tier = cols["fct_overdue_cases"]["risk_tier"]
assert "patients.BIRTHDATE" in tier["source_columns"], tier
assert "rules" in tier["parameters"], tier
assert {"from": "dim_risk_cohort.risk_tier", "to": "fct_overdue_cases.risk_tier"} in m["column_edges"]
assert {"from": "stg_pathways", "to": "fct_overdue_cases"} in m["edges"]
assert any(t["model"] == "stg_appointments" and t["column"] == "pathway_id" and t["kind"] == "ref"
           and t["severity"] == "error" for t in m["tests"])
assert {s["name"] for s in m["sources"]} >= {"patients", "waiting_list", "comorbidities"}
for e in m["column_edges"]:
    assert e["to"].split(".")[0] in names, e
PY

# ---- ls: models with the rows of the last run ----
expect "ls without a run" 0 "$BIN" ls --target "$TMP/no-run" &&
	stdout_has "ls without a run" "No run in $TMP/no-run/" &&
	stdout_has "ls without a run" "fct_overdue_cases"
checks=$((checks + 1))
awk '$1 == "fct_overdue_cases" && $3 != "-" { bad = 1 } END { exit bad }' "$TMP/out" ||
	fail "ls without a run" "rows shown without a run"
expect "ls after a run" 0 "$BIN" ls --target "$TMP/t-good" &&
	stdout_has "ls after a run" "Rows from $TMP/t-good/run_results.json"
checks=$((checks + 1))
want=$(($(wc -l <"$TMP/t-good/models/stg_patients.csv") - 1))
got=$(awk '$1 == "stg_patients" { print $3 }' "$TMP/out")
[ "$got" = "$want" ] || fail "ls rows" "stg_patients shows '$got' rows, the run wrote $want"
checks=$((checks + 1))
[ "$(grep -c '^[a-z_]* *\(staging\|intermediate\|mart\) ' "$TMP/out")" -ge 20 ] ||
	fail "ls lists every model" "$(head -5 "$TMP/out")"
expect "ls --data" 2 "$BIN" ls --data x && stderr_has "ls --data" "does not apply to 'ls'"

# ---- lineage: to the input-file columns; unknown names exit 2 ----
expect "lineage risk_tier" 0 "$BIN" lineage fct_overdue_cases.risk_tier &&
	stdout_has "lineage risk_tier" "Upstream" &&
	stdout_has "lineage risk_tier" "\`-- dim_risk_cohort.risk_tier" &&
	stdout_has "lineage risk_tier" "patients.BIRTHDATE  [source patients.csv]" &&
	stdout_has "lineage risk_tier" "conditions.CODE  [source conditions.csv]" &&
	stdout_has "lineage risk_tier" "encounters.ENCOUNTERCLASS  [source encounters.csv]" &&
	stdout_has "lineage risk_tier" "waiting_list.PRIORITY  [source waiting_list.csv]" &&
	stdout_has "lineage risk_tier" "comorbidities.GROUP  [seed comorbidities.csv]" &&
	stdout_has "lineage risk_tier" "rules  [parameter: the risk rules file]" &&
	stdout_has "lineage risk_tier" "Downstream" &&
	stdout_has "lineage risk_tier" "kpi_summary.value"
expect "lineage of a model" 0 "$BIN" lineage stg_pathways &&
	stdout_has "lineage of a model" "waiting_list  [source waiting_list.csv]" &&
	stdout_has "lineage of a model" "fct_overdue_cases  [mart]"
expect "lineage of a source column" 0 "$BIN" lineage patients.BIRTHDATE &&
	stdout_has "lineage of a source column" "fct_overdue_cases.risk_tier"
expect "lineage typo" 2 "$BIN" lineage fct_overdue_case &&
	stderr_has "lineage typo" "medimart: error: lineage: no model" &&
	stderr_has "lineage typo" "Did you mean 'fct_overdue_cases'?" && stdout_empty "lineage typo"
expect "lineage column typo" 2 "$BIN" lineage fct_overdue_cases.risk_teir &&
	stderr_has "lineage column typo" "Did you mean 'fct_overdue_cases.risk_tier'?"
expect "lineage unknown" 2 "$BIN" lineage no_such_thing_at_all && stderr_has "lineage unknown" "medimart: error:"
expect "lineage without a name" 2 "$BIN" lineage && stderr_has "lineage without a name" "medimart: error:"
expect "lineage with two names" 2 "$BIN" lineage stg_patients stg_pathways &&
	stderr_has "lineage with two names" "unexpected argument 'stg_pathways'"

# ---- a broken relationship: the model page shows the failed ref test and its rows ----
FIX=tests/fixtures/docs_broken_ref
expect "docs on a broken ref" 0 "$BIN" docs -q --data "$FIX" --target "$TMP/t-broken" --out "$TMP/s-broken"
page=$TMP/s-broken/models/stg_appointments.html
REFTEST='ref(pathway_id -&gt; stg_pathways.pathway_id)'
file_has "failed ref test on the page" "$page" \
	"<h3 id=\"failing-1\"><code>$REFTEST</code> <span class=\"rag rag-red\">Fail</span></h3>"
file_has "failed ref test beside its column" "$page" \
	"<code>ref(stg_pathways.pathway_id)</code> <a href=\"#failing-1\"><span class=\"rag rag-red\">Fail</span></a>"
file_lacks "board page: no failing pathway id" "$page" "W99"
file_lacks "board page: no appointment id" "$page" "A02"
spage=$TMP/s-broken/models/stg_sessions.html
file_has "board page: failing site value, escaped" "$spage" "<tr><td>S9&lt;i&gt;</td><td class=\"num\">"
file_lacks "board page: site value escaped" "$spage" "S9<i>"
checks=$((checks + 1))
ls "$TMP/t-broken/test_failures/" | grep -q '^stg_appointments__ref_pathway_id' ||
	fail "failing rows kept" "no stg_appointments ref CSV in test_failures/"
expect "clinical docs on a broken ref" 0 "$BIN" docs -q --audience clinical --data "$FIX" \
	--target "$TMP/t-broken-c" --out "$TMP/s-broken-c"
page=$TMP/s-broken-c/models/stg_appointments.html
file_has "clinical page: the failing row" "$page" "<caption id=\"failing-1-caption\">The failing row of $REFTEST</caption>"
file_has "clinical page: the failing row's values" "$page" "<tr><td class=\"id\">A02&lt;b&gt;</td><td class=\"id\">W99</td>"
file_lacks "clinical page: ids escaped" "$page" "A02<b>"

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

# ---- PDF packs ----
expect "pack" 0 "$BIN" pack -q --data "$GOOD" --target "$TMP/t-pack" --out "$TMP/s-pack" &&
	stdout_empty "pack"
checks=$((checks + 1))
[ -s "$TMP/s-pack/packs/brief.pdf" ] && [ -n "$(ls "$TMP/s-pack/packs" | grep '^trust-')" ] &&
	[ -n "$(ls "$TMP/s-pack/packs" | grep '^ics-')" ] || fail "pack" "brief, Trust and ICS packs not all written"
checks=$((checks + 1))
[ ! -e "$TMP/s-pack/index.html" ] || fail "pack" "pack wrote site pages"
expect "pack: fonts missing" 1 env MEDIMART_FONT_DIR="$TMP/nofonts" "$BIN" pack -q --data "$GOOD" \
	--target "$TMP/t-pack2" --out "$TMP/s-pack2" &&
	stderr_has "pack: fonts missing" "$TMP/nofonts/DejaVuSans.ttf: cannot read the font" &&
	stderr_has "pack: fonts missing" "fonts-dejavu-core"
checks=$((checks + 1))
[ ! -e "$TMP/s-pack2/packs" ] || fail "pack: fonts missing" "a pack was written"
# A pack template error names the template, line and column; nothing is written.
mkdir -p "$TMP/tplrun/data"
cp -R templates "$TMP/tplrun/"
cp data/comorbidities.csv data/cancellation_reasons.csv data/treatment_functions.csv \
	data/elective_procedures.csv data/risk_rules.txt "$TMP/tplrun/data/"
printf '# Brief\n\nText\n\n```table model=fct_overdue_cases group=nosuchcolumn\n```\n' >"$TMP/tplrun/templates/packs/brief.md"
(cd "$TMP/tplrun" && "$BIN" pack -q --data "$GOOD" --target "$TMP/t-pack3" --out "$TMP/s-pack3") \
	>"$TMP/out" 2>"$TMP/err" </dev/null
got=$?
checks=$((checks + 1))
[ "$got" -eq 2 ] || fail "pack: template error" "exit status $got, want 2"
stderr_has "pack: template error" "templates/packs/brief.md:5:" &&
	stderr_has "pack: template error" "nosuchcolumn"
checks=$((checks + 1))
[ ! -e "$TMP/s-pack3/packs" ] || fail "pack: template error" "packs were written"

# ---- a Trust's own extract: missing files and columns, no hierarchy ----
# (end of the extract checks)

if [ "$failed" -ne 0 ]; then
	echo "cli.sh: $failed of $checks checks failed" >&2
	exit 1
fi
echo "cli.sh: all $checks checks passed"
