#!/bin/sh
# A waiting list with the records the RTT rules allow but the build used to
# reject, and one bad row: a pathway ended by status 33 (first appointment
# not attended), a pathway with no clock start, and a pathway whose row is
# rejected while its appointments are in appointments.csv. The build must
# publish (exit 0), count the unknown clock start apart, keep the status-33
# pathway off the list, and set the rejected pathway's appointments aside
# with the reason on the data-quality page.
# Usage: tests/clocks.sh BIN DATA_DIR
set -eu
BIN=$1
DATA=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

cp -R "$DATA" "$tmp/data"
rm -f "$tmp/data/.generated"
wl=$tmp/data/waiting_list.csv
# Three pathways that have appointments: the first becomes a bad row, the
# second loses its clock start, the third (a closed one) stops with 33.
# Fields are split on commas and joined again unchanged, so quoted text
# further along the row is kept as it was.
awk -F, -v OFS=, '
NR == FNR { if (FNR > 1) has[$2] = 1; next }
FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
!($1 in has) { print; next }
!bad_done { $(c["PRIORITY"]) = "P9"; bad_done = 1; print $1 > "/dev/stderr"; print; next }
!unknown_done && $(c["CLOCK_STOP_DATE"]) == "" {
	$(c["REFERRAL_DATE"]) = ""; if ("RTT_START_DATE" in c) $(c["RTT_START_DATE"]) = ""
	if ("DECISION_TO_ADMIT_DATE" in c) $(c["DECISION_TO_ADMIT_DATE"]) = ""
	if ("PRIORITY_DATE" in c) $(c["PRIORITY_DATE"]) = ""
	unknown_done = 1; print; next }
!stop_done && $(c["CLOCK_STOP_DATE"]) != "" { $(c["CLOCK_STOP_REASON"]) = "33"; stop_done = 1; print; next }
{ print }
' "$DATA/appointments.csv" "$DATA/waiting_list.csv" >"$wl.new" 2>"$tmp/bad_id"
mv "$wl.new" "$wl"
bad_id=$(cat "$tmp/bad_id")
nappts=$(awk -F, -v id="$bad_id" '$2 == id' "$DATA/appointments.csv" | wc -l)

# --materialize all: stg_pathways is read below.
if "$BIN" build -q --materialize all --data "$tmp/data" --target "$tmp/target" --out "$tmp/site" >"$tmp/out" 2>&1; then
	ok "build publishes with a status-33 pathway, an unknown clock start and a rejected pathway"
else
	bad "build failed:"; tail -n 20 "$tmp/out"
fi
[ -f "$tmp/site/index.html" ] && ok "site rendered" || bad "no site"
kpi() { grep "^$1," "$tmp/target/models/kpi_summary.csv" | cut -d, -f3; }
[ "$(kpi unknown_clock_start)" = 1 ] && ok "one unknown clock start counted" ||
	bad "unknown_clock_start is '$(kpi unknown_clock_start)', expected 1"
if grep -q "set aside" "$tmp/site/data-quality.html" &&
	grep -q "$nappts rows rejected ($nappts of them set aside" "$tmp/target/run_results.json"; then
	ok "the rejected pathway's $nappts appointments are set aside and shown on the data-quality page"
else
	bad "set-aside appointments not reported ($nappts expected)"
	grep -o '"message": *"[^"]*set aside[^"]*"' "$tmp/target/run_results.json" | head -3
fi
if grep -q "33" "$tmp/target/models/stg_pathways.csv" &&
	! grep -q "$bad_id" "$tmp/target/models/fct_overdue_cases.csv"; then
	ok "status 33 accepted; the rejected pathway is not on the list"
else
	bad "status 33 or the rejected pathway mishandled"
fi
exit $fail
