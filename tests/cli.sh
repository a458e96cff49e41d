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

# ---- run record and manifest: valid JSON (jq, installed by scripts/deps.sh test) ----
for f in run_results.json manifest.json; do
	checks=$((checks + 1))
	jq empty "$TMP/t-good/$f" 2>"$TMP/err" || fail "$f is JSON" "jq rejects it"
done
checks=$((checks + 1))
jq -e '
  ([.models[].name]) as $names
  | ([.models[] | select(.name == "fct_overdue_cases") | .columns[] | select(.name == "risk_tier")][0]) as $tier
  | ($tier.source_columns | index("patients.BIRTHDATE")) != null
  and ($tier.parameters | index("rules")) != null
  and (.column_edges | index({"from": "dim_risk_cohort.risk_tier", "to": "fct_overdue_cases.risk_tier"})) != null
  and (.edges | index({"from": "stg_pathways", "to": "fct_overdue_cases"})) != null
  and any(.tests[]; .model == "stg_appointments" and .column == "pathway_id" and .kind == "ref"
          and .severity == "error")
  and ([.sources[].name] | contains(["patients", "waiting_list", "comorbidities"]))
  and all(.column_edges[]; (.to | split(".")[0]) as $m | $names | index($m) != null)
' "$TMP/t-good/manifest.json" >"$TMP/out" 2>"$TMP/err" || fail "manifest content" "$(cat "$TMP/out")"

# ---- materialisation: marts are tables, staging and intermediate models views ----
checks=$((checks + 1))
for f in manifest.json run_results.json; do
	jq -e 'all(.models[]; .materialized == (if .layer == "mart" then "table" else "view" end))' \
		"$TMP/t-good/$f" >/dev/null || fail "materialized in $f" "not table for marts and view for the rest"
done
checks=$((checks + 1))
written=$(cd "$TMP/t-good/models" && ls | sed 's/\.csv$//' | LC_ALL=C sort | tr '\n' ' ')
marts=$(jq -r '.models[] | select(.layer == "mart") | .name' "$TMP/t-good/run_results.json" | LC_ALL=C sort | tr '\n' ' ')
[ "$written" = "$marts" ] || fail "run writes the marts only" "wrote: $written" "marts: $marts"
expect "run --materialize all" 0 "$BIN" run -q --materialize all --data "$GOOD" --target "$TMP/t-all"
checks=$((checks + 1))
[ "$(ls "$TMP/t-all/models" | wc -l)" = "$(jq '.models | length' "$TMP/t-all/run_results.json")" ] &&
	jq -e 'all(.models[]; .materialized == "table")' "$TMP/t-all/manifest.json" >/dev/null &&
	(for m in $(cd "$TMP/t-good/models" && ls); do cmp -s "$TMP/t-good/models/$m" "$TMP/t-all/models/$m" || exit 1; done) ||
	fail "run --materialize all" "not every model written as a table, or a mart differs from the default run's"
expect "--materialize typo" 2 "$BIN" run --materialize views && stderr_has "--materialize typo" "--materialize is marts or all, not 'views'"
expect "ls --materialize" 2 "$BIN" ls --materialize all && stderr_has "ls --materialize" "does not apply to 'ls'"

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
want=$(($(wc -l <"$TMP/t-all/models/stg_patients.csv") - 1))
got=$(awk '$1 == "stg_patients" { print $3 }' "$TMP/out")
[ "$got" = "$want" ] || fail "ls rows" "stg_patients shows '$got' rows, --materialize all wrote $want"
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

# ---- a warning publishes: the model page shows the test and its failing rows ----
# An appointment at a site that is not in the hierarchy: the ref() test of
# stg_appointments.site_id is of warning severity, so the site is published
# with the warning, a banner on the home page and the failing value.
copy warned
awk -F, 'BEGIN { OFS = "," } NR == 2 { $1 = "A02<b>"; $4 = "S9<i>"; print }' "$GOOD/appointments.csv" \
	>>"$TMP/warned/appointments.csv"
expect "docs with a warning" 0 "$BIN" docs -q --data "$TMP/warned" --target "$TMP/t-warned" --out "$TMP/s-warned" &&
	stdout_has "docs with a warning" "WARN  ref(site_id -> stg_organisations.site_id) on stg_appointments (1 row): 1 row not found in stg_organisations.site_id, e.g. 'S9<i>'; rows in $TMP/t-warned/test_failures/stg_appointments__ref_site_id_in_stg_organisations.site_id.csv" &&
	stdout_has "docs with a warning" "0 failed, "
checks=$((checks + 1))
grep -q '^PASS' "$TMP/out" && fail "-q: no PASS lines" "$(grep -m1 '^PASS' "$TMP/out")"
page=$TMP/s-warned/models/stg_appointments.html
REFTEST='ref(site_id -&gt; stg_organisations.site_id)'
file_has "warning on the page" "$page" \
	"<h3 id=\"failing-1\"><code>$REFTEST</code> <span class=\"rag rag-amber\">Warning</span></h3>"
file_has "board page: failing site value, escaped" "$page" "<tr><td>S9&lt;i&gt;</td>"
file_lacks "board page: site value escaped" "$page" "S9<i>"
file_lacks "board page: no appointment id" "$page" "A02"
file_has "home page: data-quality banner" "$TMP/s-warned/index.html" '<div class="dq-banner"'
file_has "home page: banner says a test warned" "$TMP/s-warned/index.html" "gave a warning for this census"
file_has "home page: banner names the warning" "$TMP/s-warned/index.html" "ref(site_id -&gt; stg_organisations.site_id) on stg_appointments"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext -l 1 "$TMP/s-warned/packs/brief.pdf" "$TMP/cover.txt" 2>/dev/null
	file_has "pack cover: data-quality warning" "$TMP/cover.txt" "Data-quality warning."
fi
expect "clinical docs with a warning" 0 "$BIN" docs -q --audience clinical --data "$TMP/warned" \
	--target "$TMP/t-warned-c" --out "$TMP/s-warned-c"
page=$TMP/s-warned-c/models/stg_appointments.html
file_has "clinical page: the failing row" "$page" "<caption id=\"failing-1-caption\">The failing row of $REFTEST</caption>"
file_has "clinical page: the failing row's id, escaped" "$page" "<tr><td class=\"id\">A02&lt;b&gt;</td>"
file_lacks "clinical page: ids escaped" "$page" "A02<b>"
file_has "clinical pages: noindex" "$page" '<meta name="robots" content="noindex, nofollow">'
file_lacks "board pages: indexable" "$TMP/s-warned/index.html" 'name="robots"'

# ---- never publish past a failed error-level test ----
# tests/fixtures/docs_broken_ref: two broken relationships (error level) and
# two empty required tables. A previous good site and packs sit in the
# output folder; every publishing verb must leave them byte for byte.
FIX=tests/fixtures/docs_broken_ref
expect "good site to keep" 0 "$BIN" build -q --data "$GOOD" --target "$TMP/t-keep" --out "$TMP/s-keep"
cp -R "$TMP/s-keep" "$TMP/s-keep.before"
for verb in docs pack build; do
	expect "$verb refuses to publish" 1 "$BIN" "$verb" -q --data "$FIX" --target "$TMP/t-refuse" --out "$TMP/s-keep" &&
		stdout_has "$verb refuses: FAIL line with its example" \
			"FAIL  ref(site_id -> stg_organisations.site_id) on stg_sessions (1 row): 1 row not found in stg_organisations.site_id, e.g. 'S9<i>'; rows in $TMP/t-refuse/test_failures/stg_sessions__ref_site_id_in_stg_organisations.site_id.csv" &&
		stdout_has "$verb refuses: source check" "FAIL  row_count on conditions: no rows in conditions.csv" &&
		stderr_has "$verb refuses: says so" "error: nothing published: "
	# build skips what is downstream of a failure; docs and pack test everything.
	[ "$verb" = build ] || stdout_has "$verb refuses: summary" "588 passed, 6 failed, 10 warnings"
	checks=$((checks + 1))
	diff -r "$TMP/s-keep.before" "$TMP/s-keep" >/dev/null ||
		fail "$verb refuses: previous site unchanged" "$(diff -rq "$TMP/s-keep.before" "$TMP/s-keep" | head -3)"
done
expect "clinical docs refuse" 1 "$BIN" docs -q --audience clinical --data "$FIX" --target "$TMP/t-refuse-c" \
	--out "$TMP/s-refuse-c"
checks=$((checks + 1))
[ ! -e "$TMP/s-refuse-c" ] || fail "clinical docs refuse" "the clinical folder was created"
expect "test exits 1 on a failed test" 1 "$BIN" test -q --data "$FIX" --target "$TMP/t-refuse"
# An empty required table alone is a failed source check.
copy empty
head -n 1 "$GOOD/encounters.csv" >"$TMP/empty/encounters.csv"
expect "test: empty required table" 1 "$BIN" test -q --data "$TMP/empty" --target "$TMP/t-empty" &&
	stdout_has "test: empty required table" "FAIL  row_count on encounters: no rows in encounters.csv"
expect "build: empty required table" 1 "$BIN" build -q --data "$TMP/empty" --target "$TMP/t-empty" --out "$TMP/s-empty"
checks=$((checks + 1))
[ ! -e "$TMP/s-empty" ] || fail "build: empty required table" "a site was written"
expect "run does not test" 0 "$BIN" run -q --data "$FIX" --target "$TMP/t-run-fix"

# ---- build --select: says what happened ----
expect "build --select" 0 "$BIN" build --select stg_patients --data "$GOOD" --target "$TMP/t-sel" --out "$TMP/s-sel" &&
	stderr_has "build --select" "--select stg_patients built only some models" &&
	stdout_has "build --select" "0 failed"
file_lacks "build --select: no false claim" "$TMP/err" "skipped after failed tests"
checks=$((checks + 1))
[ ! -e "$TMP/s-sel" ] || fail "build --select" "a site was written"

# ---- output in a CI log: order, quiet, colour, closing line ----
"$BIN" build --data "$GOOD" --target "$TMP/t-log" --out "$TMP/s-log" >"$TMP/log" 2>&1 </dev/null
checks=$((checks + 1))
grep -qx '[0-9]* passed, 0 failed\(, [0-9]* warnings\{0,1\}\)\{0,1\}' "$TMP/log" ||
	fail "piped log: summary on a line of its own" "$(grep 'passed, ' "$TMP/log")"
checks=$((checks + 1))
tail -n 1 "$TMP/log" | grep -q '^medimart: done.* in [0-9.]* s: wrote target .*site .*packs' ||
	fail "closing line" "$(tail -n 1 "$TMP/log")"
checks=$((checks + 1))
grep -q "$(printf '\033')" "$TMP/log" && fail "no colour when piped" "escape sequences in the log"
checks=$((checks + 1))
grep -q "^medimart: data $GOOD/, seeds .*, rules .*risk_rules.txt, templates .*templates/" "$TMP/log" ||
	fail "the run names its rules and templates" "$(head -n 3 "$TMP/log")"
# On a terminal (script(1) from bsdutils gives one): colour, unless NO_COLOR is set.
# A machine without pseudo-terminals (a chroot without /dev/pts) cannot run it.
if ! script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	echo "cli.sh: note: no pseudo-terminal here (script(1) fails): the colour checks are not run"
elif command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	# The warned copy has a WARN line whatever the generated data holds.
	TERM=xterm script -qec "$BIN test -q --data $TMP/warned --target $TMP/t-tty" /dev/null >"$TMP/tty" 2>&1 </dev/null
	checks=$((checks + 1))
	grep -q "${esc}\[1;33mWARN" "$TMP/tty" || fail "colour on a terminal" "$(head -n 2 "$TMP/tty")"
	TERM=xterm NO_COLOR=1 script -qec "$BIN test -q --data $TMP/warned --target $TMP/t-tty" /dev/null >"$TMP/tty" 2>&1 </dev/null
	checks=$((checks + 1))
	grep -q "$esc" "$TMP/tty" && fail "NO_COLOR on a terminal" "$(head -n 2 "$TMP/tty")"
fi
expect "options before the verb" 0 "$BIN" -q run --data "$GOOD" --target "$TMP/t-pre" && stdout_empty "options before the verb"
checks=$((checks + 1))
[ -s "$TMP/err" ] && fail "-q run: silent" "$(head -n 3 "$TMP/err")"
expect "unknown option before the verb" 2 "$BIN" --frobnicate run && stderr_has "unknown option before the verb" "before the verb"
expect "-q test" 0 "$BIN" test -q --data "$GOOD" --target "$TMP/t-q" &&
	stdout_has "-q test" "0 failed"
checks=$((checks + 1))
grep -q '^PASS' "$TMP/out" && fail "-q test: no PASS lines" "$(head -n 2 "$TMP/out")"

# ---- from outside the checkout, --templates, --no-target, the clinical folder ----
mkdir -p "$TMP/elsewhere"
(cd "$TMP/elsewhere" && "$BIN" docs --data "$GOOD" --target t --out s) >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
checks=$((checks + 1))
[ $rc -eq 0 ] && [ -s "$TMP/elsewhere/s/index.html" ] || fail "docs from another folder" "no site written"
stderr_has "docs from another folder: names the templates" "$(cd "$(dirname "$BIN")/.." && pwd)/templates/"
if [ -s data/patients.csv ]; then
	(cd "$TMP/elsewhere" && "$BIN" run --target t-tree) >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	checks=$((checks + 1))
	[ $rc -eq 0 ] || fail "run from another folder without --data" "exit status not 0"
	stderr_has "run from another folder: the tree's data" "data $(pwd)/data/, seeds $(pwd)/data/, rules $(pwd)/data/risk_rules.txt"
fi
# A binary away from any tree: says where it looked and which option to give.
mkdir -p "$TMP/lone/bin"
cp "$BIN" "$TMP/lone/bin/medimart"
(cd "$TMP/lone" && ./bin/medimart run) >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
checks=$((checks + 1))
[ $rc -eq 2 ] || fail "no data folder" "exit status not 2"
stderr_has "no data folder" "error: no input folder: looked for ./data/; give --data DIR"
(cd "$TMP/lone" && ./bin/medimart docs --data "$GOOD") >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
checks=$((checks + 1))
[ $rc -eq 2 ] || fail "no templates" "exit status not 2"
stderr_has "no templates" "error: no templates: looked for index.md in templates/" &&
	stderr_has "no templates" "give --templates DIR"
checks=$((checks + 1))
[ ! -e "$TMP/lone/site" ] || fail "no templates" "a site was written"
expect "--templates not a folder" 2 "$BIN" docs --data "$GOOD" --templates "$TMP/none" --out "$TMP/s-tpl" &&
	stderr_has "--templates not a folder" "$TMP/none"
expect "--templates on run" 2 "$BIN" run --templates templates
expect "--no-target" 0 "$BIN" docs -q --no-target --data "$GOOD" --target "$TMP/t-none" --out "$TMP/s-none"
checks=$((checks + 1))
[ ! -e "$TMP/t-none" ] && [ -s "$TMP/s-none/index.html" ] || fail "--no-target" "target written or site missing"
(cd "$TMP/elsewhere" && "$BIN" docs -q --audience clinical --data "$GOOD" --target tc) >/dev/null 2>&1 </dev/null
checks=$((checks + 1))
[ -s "$TMP/elsewhere/site-clinical/index.html" ] && [ ! -e "$TMP/elsewhere/site" ] ||
	fail "clinical site: own folder by default" "$(ls "$TMP/elsewhere")"

expect "SOURCE_DATE_EPOCH malformed" 2 env SOURCE_DATE_EPOCH=abc "$BIN" pack -q --no-target --data "$GOOD" \
	--out "$TMP/s-sde" && stderr_has "SOURCE_DATE_EPOCH malformed" "SOURCE_DATE_EPOCH='abc'"

# ---- no hierarchy: packs only for areas with pathways, and no link to a pack that is not there ----
copy nohier2
rm "$TMP/nohier2/org_hierarchy.csv"
expect "no hierarchy: build" 0 "$BIN" build -q --no-target --data "$TMP/nohier2" --out "$TMP/s-nohier2"
checks=$((checks + 1))
trusts=$(ls "$TMP/s-nohier2/trust" | grep -c '^T-.*\.html$')
tpacks=$(ls "$TMP/s-nohier2/packs" | grep -c '^trust-')
with=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ORGANIZATION") c = i; next } { print $c }' \
	"$TMP/nohier2/waiting_list.csv" | sort -u | wc -l)
[ "$tpacks" -eq "$with" ] && [ "$trusts" -gt "$tpacks" ] ||
	fail "no hierarchy: packs for areas with pathways only" "$tpacks Trust packs, $with sites with pathways, $trusts Trust pages"
checks=$((checks + 1))
broken=$(cd "$TMP/s-nohier2/trust" && grep -o 'href="\.\./packs/[^"]*"' ./*.html | sed 's/.*href="\.\.\///; s/"$//' |
	while read -r p; do [ -f "../$p" ] || echo "$p"; done)
[ -z "$broken" ] || fail "no hierarchy: no link to a missing pack" "$(echo "$broken" | head -3)"
file_has "no hierarchy: an area without pathways says so" "$TMP/s-nohier2/trust/$(cd "$TMP/s-nohier2/trust" &&
	grep -l 'no-pack' ./*.html | head -n 1)" ": not made, as no pathway is in this area"

# ---- pack: a subset ----
expect "pack brief" 0 "$BIN" pack -q --no-target --data "$GOOD" --out "$TMP/s-brief" brief
checks=$((checks + 1))
[ "$(ls "$TMP/s-brief/packs")" = "brief.pdf" ] || fail "pack brief" "$(ls "$TMP/s-brief/packs")"
# The Trust and ICS of the first pathway's site (areas without pathways get no pack).
site=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ORGANIZATION") c = i } NR == 2 { print $c }' \
	"$GOOD/waiting_list.csv")
trust=$(awk -F, -v s="$site" '$1 == s { print $4 }' "$GOOD/org_hierarchy.csv")
ics=$(awk -F, -v s="$site" '$1 == s { print $6 }' "$GOOD/org_hierarchy.csv")
expect "pack --select" 0 "$BIN" pack -q --no-target --data "$GOOD" --out "$TMP/s-subset" --select "trust:$trust,ics:$ics"
checks=$((checks + 1))
[ "$(ls "$TMP/s-subset/packs" | tr '\n' ' ')" = "ics-$ics.pdf trust-$trust.pdf " ] ||
	fail "pack --select" "$(ls "$TMP/s-subset/packs")"
expect "pack: unknown name" 2 "$BIN" pack -q --no-target --data "$GOOD" --out "$TMP/s-bad" trust:NOPE &&
	stderr_has "pack: unknown name" "no pack 'trust:NOPE' (packs are: brief, ics, ics:CODE, trust, trust:CODE; an area without any pathway has none)"
checks=$((checks + 1))
[ ! -e "$TMP/s-bad/packs" ] || fail "pack: unknown name" "packs were written"

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
	stdout_has "pack" "0 failed"
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
	data/elective_procedures.csv data/community_careplans.csv data/procedure_groups.csv data/risk_rules.txt "$TMP/tplrun/data/"
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

# ---- publication is all-or-nothing; hostile text ----
# A first site, kept as a copy; a second build of another census runs in the
# background: a third build into the same folders fails at once naming its
# pid, and killing the second mid-write leaves the first site whole.
expect "publish: first site" 0 "$BIN" build -q --data "$GOOD" --target "$TMP/t-kill" --out "$TMP/s-kill"
printf 'keep me\n' >"$TMP/s-kill/.gitignore"
printf 'keep me\n' >"$TMP/t-kill/README"
cp -R "$TMP/s-kill" "$TMP/s-kill.copy"
cp -R "$TMP/t-kill" "$TMP/t-kill.copy"
sleep 1
touch "$TMP/kill.stamp"
"$BIN" build -q --census 2025-06-30 --data "$GOOD" --target "$TMP/t-kill" --out "$TMP/s-kill" \
	>/dev/null 2>&1 </dev/null &
bg=$!
# Killed as soon as the site starts changing: a new folder beside it, or a
# file in it written after the second run started.
n=0
while [ ! -d "$TMP/.s-kill.medimart-new" ] && [ -z "$(find "$TMP/s-kill" -newer "$TMP/kill.stamp" | head -1)" ] &&
	[ $n -lt 100000 ] && kill -0 $bg 2>/dev/null; do n=$((n + 1)); done
kill -9 $bg 2>/dev/null
wait $bg 2>/dev/null
# The old site whole, or (when the kill came after the swap) the new one.
whole=old
diff -r "$TMP/s-kill.copy" "$TMP/s-kill" >/dev/null || { whole=new; cp -R "$TMP/s-kill" "$TMP/s-kill.after"; }
diff -r "$TMP/t-kill.copy/models" "$TMP/t-kill/models" >/dev/null || cp -R "$TMP/t-kill" "$TMP/t-kill.after"
[ $whole = new ] && echo "cli.sh: note: the build finished before the kill; checking the new site is whole" >&2
checks=$((checks + 1))
[ -z "$(find "$TMP/s-kill" "$TMP/t-kill" -name '*.tmp')" ] || fail "publish: killed mid-write" ".tmp files in the site or target"
# The next run cleans up; while it runs, another fails at once naming it.
"$BIN" build -q --census 2025-06-30 --data "$GOOD" --target "$TMP/t-kill" --out "$TMP/s-kill" \
	>/dev/null 2>"$TMP/err.bg" </dev/null &
bg=$!
n=0
while [ "$(cat "$TMP/.t-kill.lock" 2>/dev/null)" != "$bg" ] && [ $n -lt 500 ]; do n=$((n + 1)); sleep 0.01; done
expect "publish: a second run fails at once" 1 "$BIN" build -q --data "$GOOD" --target "$TMP/t-kill" \
	--out "$TMP/s-kill" && stderr_has "publish: a second run fails at once" "another medimart run (pid $bg)"
wait $bg
got=$?
checks=$((checks + 1))
[ $got -eq 0 ] || fail "publish: the next run" "exit status $got, want 0: $(head -3 "$TMP/err.bg")"
checks=$((checks + 1))
[ -z "$(ls -a "$TMP" | grep 'medimart-new')" ] || fail "publish: the next run" "a temporary folder was left: $(ls -a "$TMP" | grep medimart-new)"
file_has "publish: the next run" "$TMP/s-kill/index.html" "30 June 2025"
checks=$((checks + 1))
[ $whole = old ] || diff -r "$TMP/s-kill.after" "$TMP/s-kill" >/dev/null ||
	fail "publish: killed mid-write" "the site was neither the old one nor the new one"
checks=$((checks + 1))
[ ! -d "$TMP/t-kill.after" ] || diff -r "$TMP/t-kill.after/models" "$TMP/t-kill/models" >/dev/null ||
	fail "publish: killed mid-write" "target/models/ was neither the old one nor the new one"
file_has "publish: files MediMart did not write are kept" "$TMP/s-kill/.gitignore" "keep me"
file_has "publish: files MediMart did not write are kept" "$TMP/t-kill/README" "keep me"
rm -rf "$TMP/s-kill.copy" "$TMP/s-kill.after" "$TMP/t-kill.copy" "$TMP/t-kill.after"

# The lock held by another process (flock from util-linux): exit 1 at once.
if command -v flock >/dev/null 2>&1; then
	exec 9>>"$TMP/.s-lock.lock"
	flock -n 9 && echo $$ >&9
	expect "publish: locked --out" 1 "$BIN" docs -q --data "$GOOD" --target "$TMP/t-lock" --out "$TMP/s-lock" &&
		stderr_has "publish: locked --out" "pid $$" && stderr_has "publish: locked --out" "is writing the site folder"
	exec 9>&-
	checks=$((checks + 1))
	[ ! -e "$TMP/s-lock" ] && [ ! -e "$TMP/t-lock" ] || fail "publish: locked --out" "something was written"
fi

# A full disk (a small tmpfs, root only): the write fails, the old site stays.
if [ "$(id -u)" -eq 0 ] && mkdir -p "$TMP/small" && mount -t tmpfs -o size=24m tmpfs "$TMP/small" 2>/dev/null; then
	expect "publish: full disk, first" 0 "$BIN" build -q --data "$GOOD" --target "$TMP/t-full" --out "$TMP/small/s"
	cp -R "$TMP/small/s" "$TMP/s-full.copy"
	expect "publish: full disk" 1 "$BIN" build -q --census 2025-06-30 --data "$GOOD" --target "$TMP/t-full" \
		--out "$TMP/small/s" && stderr_has "publish: full disk" "No space left on device"
	checks=$((checks + 1))
	diff -r "$TMP/s-full.copy" "$TMP/small/s" >/dev/null || fail "publish: full disk" "the previous site was changed"
	checks=$((checks + 1))
	[ -z "$(ls -a "$TMP/small" | grep medimart-new)" ] || fail "publish: full disk" "a temporary folder was left"
	umount "$TMP/small"
	rm -rf "$TMP/s-full.copy"
fi

# Trust codes that make the same file name, or one too long for a file
# name: exit 2 naming them, before anything is written.
copy collide
awk -F, 'BEGIN { OFS = "," } NR > 1 && $4 == "RX102" { $4 = (n++ % 2) ? "RX 102" : "RX_102" } { print }' \
	"$GOOD/org_hierarchy.csv" >"$TMP/collide/org_hierarchy.csv"
expect "publish: codes collide" 2 "$BIN" build -q --data "$TMP/collide" --target "$TMP/t-collide" \
	--out "$TMP/s-collide" && stderr_has "publish: codes collide" "values 'RX 102' and 'RX_102' both make the file"
checks=$((checks + 1))
[ ! -e "$TMP/s-collide" ] && [ ! -e "$TMP/t-collide" ] || fail "publish: codes collide" "something was written"
copy longcode
long=$(printf '%0300d' 0 | tr 0 L)
sed "s/,RX102,/,$long,/" "$GOOD/org_hierarchy.csv" >"$TMP/longcode/org_hierarchy.csv"
expect "publish: a 300-character code" 2 "$BIN" build -q --data "$TMP/longcode" --target "$TMP/t-long" \
	--out "$TMP/s-long" && stderr_has "publish: a 300-character code" "(300 characters) makes a file name longer"
checks=$((checks + 1))
[ ! -e "$TMP/s-long" ] && [ ! -e "$TMP/t-long" ] || fail "publish: a 300-character code" "something was written"

# A code with a space: its page, its pack and the link to the pack agree;
# text cells that a spreadsheet would run are neutralised in downloads.
copy hostile
awk -F, 'BEGIN { OFS = "," }
	NR > 1 && $4 == "RX103" { $4 = "RX 103"; $5 = "@SUM(1+1)" }
	NR > 1 && $6 == "QX1" { $7 = "\"=HYPERLINK(\"\"http://example.org\"\")\"" } { print }' \
	"$GOOD/org_hierarchy.csv" >"$TMP/hostile/org_hierarchy.csv"
expect "publish: hostile text" 0 "$BIN" build -q --data "$TMP/hostile" --target "$TMP/t-hostile" \
	--out "$TMP/s-hostile"
checks=$((checks + 1))
[ -s "$TMP/s-hostile/packs/trust-RX_103.pdf" ] || fail "publish: a code with a space" "no packs/trust-RX_103.pdf"
file_has "publish: a code with a space" "$TMP/s-hostile/trust/RX_103.html" 'href="../packs/trust-RX_103.pdf"'
checks=$((checks + 1))
if grep -rqE '(^|,)"?[=@+-][A-Z]' "$TMP/s-hostile/downloads"; then
	fail "publish: CSV injection" "a download cell starts with = @ + or -: $(grep -rhE '(^|,)"?[=@+-][A-Z]' "$TMP/s-hostile/downloads" | head -1)"
fi
checks=$((checks + 1))
grep -rqF "'@SUM(1+1)" "$TMP/s-hostile/downloads" && grep -rqF "\"'=HYPERLINK(" "$TMP/s-hostile/downloads" ||
	fail "publish: CSV injection" "the neutralised cells are not in the downloads"

# pack replaces packs/ alone: the site's pages stay; a new folder that a
# killed pack left inside the site is not carried into the next site.
mkdir -p "$TMP/s-hostile/.packs.medimart-new"
printf 'half\n' >"$TMP/s-hostile/.packs.medimart-new/trust-X.pdf"
expect "publish: pack beside the site" 0 "$BIN" pack -q --data "$TMP/hostile" --target "$TMP/t-hostile" \
	--out "$TMP/s-hostile"
checks=$((checks + 1))
[ -s "$TMP/s-hostile/index.html" ] && [ -s "$TMP/s-hostile/packs/trust-RX_103.pdf" ] &&
	[ ! -e "$TMP/s-hostile/.packs.medimart-new" ] ||
	fail "publish: pack beside the site" "site pages or packs missing, or the new packs folder left"

# A template linked out of the templates folder is not published; the
# rules file is named on the site, not where it lives.
cp -R templates "$TMP/tpl-link"
ln -s /etc/passwd "$TMP/tpl-link/leak.md"
mkdir -p "$TMP/rules dir"
cp data/risk_rules.txt "$TMP/rules dir/my_rules.txt"
expect "publish: a symlink out of the templates" 0 "$BIN" build -q --data "$GOOD" --templates "$TMP/tpl-link" \
	--rules "$TMP/rules dir/my_rules.txt" --target "$TMP/t-link" --out "$TMP/s-link" &&
	stderr_has "publish: a symlink out of the templates" "leak.md: warning: a link out of the templates folder"
checks=$((checks + 1))
[ ! -e "$TMP/s-link/leak.html" ] && ! grep -rq "root:x:0" "$TMP/s-link" ||
	fail "publish: a symlink out of the templates" "/etc/passwd was published"
file_has "publish: the rules file by name" "$TMP/s-link/models/dim_risk_rules.html" "<code>my_rules.txt</code>"
checks=$((checks + 1))
! grep -rqF "$TMP/rules dir" "$TMP/s-link" || fail "publish: the rules file by name" "the site holds the rules file's path"

# ---- hostile input: long, duplicated, broken and far-future values ----
# A 10 MB Trust name is a reject naming the field and its length, at once;
# a name at the 4096-byte limit still makes its Trust's pack.
copy longname
awk -F, -v L="$(head -c 4096 /dev/zero | tr '\0' N)" 'BEGIN { OFS = "," } $4 == "RX103" { $5 = L } { print }' \
	"$GOOD/org_hierarchy.csv" >"$TMP/longname/org_hierarchy.csv"
expect "hostile: a name at the length limit" 0 "$BIN" build -q --data "$TMP/longname" --target "$TMP/t-longname" \
	--out "$TMP/s-longname"
checks=$((checks + 1))
[ -s "$TMP/s-longname/packs/trust-RX103.pdf" ] || fail "hostile: a name at the length limit" "no trust-RX103.pdf"
awk -F, 'BEGIN { OFS = "," } NR == 2 { $5 = "" } { print }' "$GOOD/org_hierarchy.csv" >"$TMP/longname/org_hierarchy.csv"
head -c 10485760 /dev/zero | tr '\0' N >"$TMP/longname/name"
awk -F, -v f="$TMP/longname/name" 'BEGIN { OFS = ","; getline L <f } NR == 2 { $5 = L } { print }' \
	"$GOOD/org_hierarchy.csv" >"$TMP/longname/org_hierarchy.csv"
rm "$TMP/longname/name"
expect "hostile: a 10 MB name" 0 "$BIN" run -q --data "$TMP/longname" --target "$TMP/t-longname2" &&
	stderr_has "hostile: a 10 MB name" "org_hierarchy.csv:2:5: warning: row rejected: TRUST_NAME: value is 10485760 bytes long; the limit is 4096 bytes"
# An endless rules file stops at the cap.
expect "hostile: --rules /dev/zero" 2 "$BIN" run -q --data "$GOOD" --target "$TMP/t-zero" --rules /dev/zero &&
	stderr_has "hostile: --rules /dev/zero" "/dev/zero: error: the risk rules are larger than 1048576 bytes"
# A column named twice: an error naming both positions, nothing loaded.
copy dupcol
sed '1s/$/,NAME/; 2,$s/$/,Other name/' "$GOOD/organizations.csv" >"$TMP/dupcol/organizations.csv"
ncol=$(head -1 "$TMP/dupcol/organizations.csv" | tr ',' '\n' | wc -l)
npos=$(head -1 "$TMP/dupcol/organizations.csv" | tr ',' '\n' | grep -n '^NAME$' | head -1 | cut -d: -f1)
expect "hostile: a duplicated column" 2 "$BIN" run -q --data "$TMP/dupcol" --target "$TMP/t-dupcol" &&
	stderr_has "hostile: a duplicated column" "organizations.csv:1:$ncol: error: duplicate column 'NAME': fields $npos and $ncol have the same name"
checks=$((checks + 1))
[ ! -e "$TMP/t-dupcol" ] || fail "hostile: a duplicated column" "the target folder was written"
# Invalid UTF-8, a NUL and an escape byte in fields: rejects naming the
# byte, never echoing it, and the bytes reach no published file.
copy bytes
printf 'nul-org,Wa\000rd\n' | awk -F, 'NR == FNR { n = split($0, h, ","); next }
	{ printf "%s,%s", $1, $2; for (i = 3; i <= n; i++) printf ","; print "" }' "$GOOD/organizations.csv" - \
	>>"$TMP/bytes/organizations.csv"
oline=$(wc -l <"$TMP/bytes/organizations.csv")
printf 'new-site,NS-01,Caf\351 Infirmary,RX999,New Trust,QX9,New ICS\nnew-site2,NS-02,Bad\033[2J,RX999,New Trust,QX9,New ICS\n' \
	>>"$TMP/bytes/org_hierarchy.csv"
hline=$(($(wc -l <"$TMP/bytes/org_hierarchy.csv") - 1))
expect "hostile: invalid UTF-8, NUL, ESC" 0 "$BIN" build -q --data "$TMP/bytes" --target "$TMP/t-bytes" \
	--out "$TMP/s-bytes" &&
	stderr_has "hostile: invalid UTF-8, NUL, ESC" "organizations.csv:$oline:2: warning: row rejected: NAME: NUL byte in the value (byte 3)" &&
	stderr_has "hostile: invalid UTF-8, NUL, ESC" "org_hierarchy.csv:$hline:3: warning: row rejected: SITE_NAME: invalid UTF-8 in the value (byte 4 is 0xE9)" &&
	stderr_has "hostile: invalid UTF-8, NUL, ESC" "org_hierarchy.csv:$((hline + 1)):3: warning: row rejected: SITE_NAME: control byte 0x1B in the value (byte 4)"
checks=$((checks + 1))
! LC_ALL=C grep -rqF "$(printf 'Caf\351')" "$TMP/s-bytes" "$TMP/t-bytes" ||
	fail "hostile: invalid UTF-8, NUL, ESC" "the Latin-1 name was published"
checks=$((checks + 1))
! LC_ALL=C grep -qF "$(printf '\033')" "$TMP/err" || fail "hostile: invalid UTF-8, NUL, ESC" "a raw ESC byte in a message"
# An organisation Id given twice with two names fails a source check; the
# same row twice passes.
copy dupid
sed -n 2p "$GOOD/organizations.csv" >>"$TMP/dupid/organizations.csv"
expect "hostile: the same organisation row twice" 0 "$BIN" test -q --data "$TMP/dupid" --target "$TMP/t-dupid"
sed -n 2p "$GOOD/organizations.csv" | awk -F, 'BEGIN { OFS = "," } { $2 = "Another Name"; print }' \
	>>"$TMP/dupid/organizations.csv"
expect "hostile: an organisation Id with two names" 1 "$BIN" test -q --data "$TMP/dupid" --target "$TMP/t-dupid" &&
	stdout_has "hostile: an organisation Id with two names" "FAIL  one_name(Id -> NAME) on organizations: 1 row gives an Id already given with another name, e.g. '$(sed -n 2p "$GOOD/organizations.csv" | cut -d, -f1)': '$(sed -n 2p "$GOOD/organizations.csv" | cut -d, -f2)' and 'Another Name'"
# A 0-byte optional file reads as absent, with a note; a header-only one loads.
copy emptyopt
: >"$TMP/emptyopt/sessions.csv"
head -1 "$GOOD/careplans.csv" >"$TMP/emptyopt/careplans.csv"
expect "hostile: a 0-byte optional file" 0 "$BIN" run --data "$TMP/emptyopt" --target "$TMP/t-emptyopt" &&
	stderr_has "hostile: a 0-byte optional file" "sessions.csv: note: optional table 'sessions' is an empty file (0 bytes); read as absent"
# One far-future date is a reject and does not move the census.
expect "hostile: census of the good data" 0 "$BIN" run --data "$GOOD" --target "$TMP/t-census"
census=$(grep -o 'census [0-9-]*' "$TMP/err" | head -1)
copy future
tail -1 "$GOOD/encounters.csv" |
	awk -F, 'BEGIN { OFS = "," } { $1 = "far-future"; $2 = "9999-12-31T00:00:00Z"; print }' >>"$TMP/future/encounters.csv"
fline=$(wc -l <"$TMP/future/encounters.csv")
expect "hostile: a far-future date" 0 "$BIN" run --data "$TMP/future" --target "$TMP/t-future" &&
	stderr_has "hostile: a far-future date" "encounters.csv:$fline:2: warning: row rejected: START: '9999-12-31T00:00:00Z' is after 2099-12-31" &&
	stderr_has "hostile: a far-future date" "$census"
# A javascript: link in a template is an error at its line and column.
cp -R templates "$TMP/tpl-js"
printf '# Page\n\nSee [this](JavaScript&#58;alert(1)).\n' >"$TMP/tpl-js/js.md"
expect "hostile: a javascript: link" 2 "$BIN" docs -q --data "$GOOD" --templates "$TMP/tpl-js" --no-target \
	--out "$TMP/s-js" &&
	stderr_has "hostile: a javascript: link" "js.md:3:5: error: link address with the scheme 'JavaScript:'"
checks=$((checks + 1))
! grep -rqi 'href="javascript' "$TMP/s-js" 2>/dev/null || fail "hostile: a javascript: link" "the link was published"

# ---- a Trust's own extract: missing files and columns, no hierarchy ----
# Two required files and two required columns missing (one in an optional
# file), and a broken row: every problem in one report, then one summary;
# no row is read and nothing is written.
copy extract
rm "$TMP/extract/patients.csv" "$TMP/extract/providers.csv"
sed -i '1s/\(^\|,\)START\(,\|$\)/\1BEGIN\2/' "$TMP/extract/encounters.csv"
sed -i '1s/\(^\|,\)ICS_CODE\(,\|$\)/\1ICB\2/' "$TMP/extract/org_hierarchy.csv"
echo "broken,row" >>"$TMP/extract/conditions.csv"
X=$TMP/extract
expect "extract: all missing at once" 2 "$BIN" build -q --data "$X" --target "$TMP/t-extract" \
	--out "$TMP/s-extract" &&
	stderr_has "extract: patients.csv" \
		"medimart: $X/patients.csv: error: missing required file: Synthea patients" &&
	stderr_has "extract: providers.csv" \
		"medimart: $X/providers.csv: error: missing required file: Synthea clinicians" &&
	stderr_has "extract: what the files are" "(see docs/data-contract.md)" &&
	stderr_has "extract: encounters START" \
		"medimart: $X/encounters.csv:1: error: missing required column 'START'" &&
	stderr_has "extract: org_hierarchy ICS_CODE" \
		"medimart: $X/org_hierarchy.csv:1: error: missing required column 'ICS_CODE'" &&
	stderr_has "extract: summary" \
		"medimart: error: $X: 2 required files and 2 required columns missing; nothing was loaded" &&
	stdout_empty "extract: all missing at once"
checks=$((checks + 1))
[ "$(grep -c 'error:' "$TMP/err")" -eq 5 ] || fail "extract: one line a problem" "want 4 problems and 1 summary"
checks=$((checks + 1))
! grep -q "row rejected" "$TMP/err" || fail "extract: no row read" "a row was read before the check"
checks=$((checks + 1))
[ ! -e "$TMP/t-extract" ] && [ ! -e "$TMP/s-extract" ] || fail "extract: nothing written" "a target or site was written"

# No organisation hierarchy: a warning that shows through -q, exit 0.
copy nohier
rm "$TMP/nohier/org_hierarchy.csv"
expect "no hierarchy" 0 "$BIN" run -q --materialize all --data "$TMP/nohier" --target "$TMP/t-nohier" &&
	stdout_empty "no hierarchy"
nsites=$(($(wc -l <"$TMP/t-nohier/models/stg_organisations.csv") - 1))
stderr_has "no hierarchy: warning" "medimart: $TMP/nohier/org_hierarchy.csv: warning: no organisation hierarchy: \
each of the $nsites organisations with activity becomes its own Trust (T-...) in one placeholder ICS 'UNMAPPED'; \
Trust and ICS pages and packs will not match your real organisations (see docs/data-contract.md)"
checks=$((checks + 1))
[ "$(grep -c 'warning: no organisation hierarchy' "$TMP/err")" -eq 1 ] || fail "no hierarchy: warned once" ""
file_has "no hierarchy: placeholder Trusts" "$TMP/t-nohier/models/stg_organisations.csv" ",UNMAPPED,"

# Plain Synthea: none of the four extension files; loads, with the warning.
copy plain
rm "$TMP/plain/waiting_list.csv" "$TMP/plain/appointments.csv" "$TMP/plain/sessions.csv" \
	"$TMP/plain/org_hierarchy.csv"
expect "plain Synthea" 0 "$BIN" run -q --data "$TMP/plain" --target "$TMP/t-plain" &&
	stderr_has "plain Synthea: warning" "warning: no organisation hierarchy"
checks=$((checks + 1))
! grep -q "error:" "$TMP/err" || fail "plain Synthea: no error" ""
# (end of the extract checks)

if [ "$failed" -ne 0 ]; then
	echo "cli.sh: $failed of $checks checks failed" >&2
	exit 1
fi
echo "cli.sh: all $checks checks passed"
