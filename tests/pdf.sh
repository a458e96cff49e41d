#!/bin/sh
# Checks of the PDF briefing packs with poppler-utils and qpdf: every pack
# is there, opens, has its pages, title and fonts, carries the figures of
# the models, keeps every word on the page, and is byte-identical when
# built again. Names with accents and apostrophes come through.
# Usage: tests/pdf.sh BIN DATA_DIR
set -eu
BIN=$1
DATA=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { printf 'ok   %s\n' "$*"; }
bad() { printf 'FAIL %s\n' "$*"; fail=1; }
for tool in pdfinfo pdftotext pdffonts qpdf; do
	command -v $tool >/dev/null 2>&1 || {
		echo "pdf: FAILED: $tool is missing, from the Debian packages poppler-utils and qpdf (run: sh scripts/deps.sh test)"
		exit 1
	}
done

# A copy of the data whose first Trust has a name with accents, an
# apostrophe, markup characters, a dash, curly quotes and a pound sign.
mkdir -p "$tmp/data"
cp "$DATA"/*.csv "$tmp/data/"
[ -f "$DATA/risk_rules.txt" ] && cp "$DATA/risk_rules.txt" "$tmp/data/"
awk -F, 'BEGIN { OFS = "," } NR > 1 && $4 == "RX101" { $5 = "St Zoë O\x27Brien & Víctor <Royal> – “Ash” £ NHS Trust" } { print }' \
	"$DATA/org_hierarchy.csv" >"$tmp/data/org_hierarchy.csv"

t0=$(date +%s.%N)
"$BIN" pack -q --data "$tmp/data" --target "$tmp/target" --out "$tmp/site" || { echo "medimart pack failed"; exit 1; }
t1=$(date +%s.%N)
packs=$(ls "$tmp/site/packs" | wc -l)
trusts=$(tail -n +2 "$tmp/data/org_hierarchy.csv" | cut -d, -f4 | sort -u | wc -l)
icss=$(tail -n +2 "$tmp/data/org_hierarchy.csv" | cut -d, -f6 | sort -u | wc -l)
want=$((trusts + icss + 1))
[ "$packs" -eq "$want" ] && ok "$packs packs: $trusts Trusts, $icss ICSs and the brief" ||
	bad "$packs packs, expected $want ($trusts Trusts + $icss ICSs + brief)"
printf 'pdf: %s packs in %.1f s, %s KB in all\n' "$packs" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
	"$(du -sk "$tmp/site/packs" | cut -f1)"

for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f")
	info=$(pdfinfo "$f" 2>/dev/null) || { bad "$n: pdfinfo cannot read it"; continue; }
	pages=$(printf '%s\n' "$info" | awk '/^Pages:/ { print $2 }')
	[ "${pages:-0}" -ge 4 ] || bad "$n: only ${pages:-0} pages"
	printf '%s\n' "$info" | grep -q '^Author: *MediMart$' || bad "$n: author is not MediMart"
	printf '%s\n' "$info" | grep -q '^Page size: *595.276 x 841.89' || bad "$n: first page is not A4 portrait"
	qpdf --check "$f" >"$tmp/qpdf" 2>&1 || { bad "$n: qpdf --check: $(tail -n 2 "$tmp/qpdf")"; continue; }
	# Every font is embedded; none is a base-14 font that would drop glyphs.
	pdffonts "$f" 2>/dev/null | tail -n +3 >"$tmp/fonts"
	[ -s "$tmp/fonts" ] || bad "$n: no fonts"
	awk '$(NF-4) != "yes" { exit 1 }' "$tmp/fonts" || bad "$n: a font is not embedded"
	grep -q 'Type 1' "$tmp/fonts" && bad "$n: uses a Type 1 (base-14) font"
	# No word outside the page's margins (18 mm; checked at 12.7 mm).
	pdftotext -bbox "$f" "$tmp/bbox.html" 2>/dev/null
	awk '/<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0;
		     match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
	     /<word / { n = split($0, a, "\""); x0 = a[2]; y0 = a[4]; x1 = a[6]; y1 = a[8];
		     if (x0 < 36 || y0 < 20 || x1 > w - 36 || y1 > h - 20) { print "word outside the margins: " $0; bad = 1 } }
	     END { exit bad }' "$tmp/bbox.html" >"$tmp/outside" || bad "$n: $(head -n 1 "$tmp/outside")"
done
ok "every pack opens, passes qpdf --check, embeds its fonts and keeps its words inside the margins"

# A clean text layer: poppler reads every pack without a word on stderr
# (libharu's own ToUnicode maps gave "Invalid 'begincidrange' operator in
# ToUnicode CMap" 28 times a pack), and the text it extracts is the
# pack's: its title, its area's name, the contents, and RAG badges with
# their symbols.
warned=0
for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f" .pdf)
	pdftotext -layout "$f" "$tmp/$n.txt" 2>"$tmp/$n.err" || bad "$n: pdftotext failed"
	[ -s "$tmp/$n.err" ] && { bad "$n: pdftotext: $(sort "$tmp/$n.err" | uniq -c | head -n 3 | tr -s ' \n' ' ')"; warned=1; }
	grep -q "Contents" "$tmp/$n.txt" || bad "$n: no contents in its text"
	case $n in
	brief) grep -q "Stakeholder brief" "$tmp/$n.txt" || bad "brief: no title in its text" ;;
	trust-* | ics-*)
		kind=${n%%-*}; code=${n#*-}
		name=$(awk -F, -v k="$kind" -v c="$code" 'NR > 1 && (k == "trust" ? $4 : $6) == c { print (k == "trust" ? $5 : $7); exit }' \
			"$tmp/data/org_hierarchy.csv")
		tr -s ' \n' ' ' <"$tmp/$n.txt" | grep -qF "Board pack: $name" || bad "$n: 'Board pack: $name' not in its text"
		grep -Eq '(✓ Green|▲ Amber|✗ Red|○ No pathways)' "$tmp/$n.txt" || bad "$n: no RAG badge with its symbol in its text"
		grep -q "Executive summary" "$tmp/$n.txt" || bad "$n: no executive summary in its text" ;;
	esac
done
[ $warned -eq 0 ] && ok "pdftotext reads every pack without a warning"
# No doubled or stray punctuation where an inline value meets the
# template's text: "(60.5% (✗ Red))", "(synthetic) (255)", " ,", "( ".
# The contents' dot leaders (". . .") and relative links ("../") are left
# out.
punct=0
for f in "$tmp"/*.txt; do
	grep -v '\. \. \.' "$f" | grep -nE '\(\(|\)\)|\) \(|\.\.([^/]|$)|,,|;;|::| [,.;:]( |$)|\( | \)' >"$tmp/punct" &&
		{ bad "$(basename "$f" .txt): doubled punctuation: $(head -n 2 "$tmp/punct" | tr '\n' ' ')"; punct=1; }
done
[ $punct -eq 0 ] && ok "no doubled punctuation in any pack"
grep -Eq '\([0-9.]+%, (✓ Green|▲ Amber|✗ Red|○ No pathways)\)' "$tmp/brief.txt" &&
	ok "brief: a KPI in parentheses carries its badge after a comma" || bad "brief: no '(NN.N%, badge)' KPI"
ok "every pack's text holds its title, area, contents and RAG badges"

# The figures of the models are in the packs.
txt() { pdftotext -layout "$1" - 2>/dev/null; }
kpi() { awk -F, -v k="$1" '$1 == k { print $3 }' "$tmp/target/models/kpi_summary.csv"; }
size=$(kpi list_size | awk '{ printf "%\047d", $1 }' 2>/dev/null || kpi list_size)
pct=$(kpi pct_within_18_weeks | awk '{ printf "%.1f%%", $1 }')
txt "$tmp/site/packs/brief.pdf" >"$tmp/brief.txt"
grep -q "Stakeholder brief" "$tmp/brief.txt" && ok "brief: title" || bad "brief: no title"
LC_ALL=C grep -q "$pct" "$tmp/brief.txt" && ok "brief: within-18-weeks KPI $pct" || bad "brief: no $pct"
# Counts are rounded to the nearest 5 at every level (docs/disclosure.md).
n=$(kpi list_size | awk '{ printf "%d", int(($1 + 2) / 5) * 5 }')
fmt=$(printf '%s' "$n" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
grep -q "$fmt" "$tmp/brief.txt" && ok "brief: list size $fmt (rounded)" || bad "brief: no list size $fmt"
# The data-model diagram is the site's, not the board brief's.
grep -q "The data model" "$tmp/brief.txt" && bad "brief: still has the data-model diagram" || ok "brief: no data-model diagram"
pdfinfo -f 1 -l 99 "$tmp/site/packs/brief.pdf" 2>/dev/null | grep -q 'size: *841.89 x 595.276' &&
	bad "brief: a landscape page" || ok "brief: every page portrait"
# Data-quality tables are an appendix: the last section of every pack,
# after which no other section starts.
for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f" .pdf)
	last=$(pdftotext "$f" - 2>/dev/null | grep -n -E '^(Appendix: data quality|Data quality|Definitions|Next steps|Executive summary)$' | tail -n 1 | cut -d: -f2-)
	[ "$last" = "Appendix: data quality" ] || bad "$n: the last section is '$last', not the data-quality appendix"
done
ok "every pack ends with its data-quality appendix"
# The cover sheet: the ask, key messages and provenance, with the SHA-256
# of every input file and of the rules file, and the version.
version=$("$BIN" --version | cut -d" " -f2) # "medimart 0.1.0"
rules_hash=$(sha256sum "$tmp/data/risk_rules.txt" 2>/dev/null | cut -c1-64)
[ -n "$rules_hash" ] || rules_hash=$(sha256sum data/risk_rules.txt | cut -c1-64)
for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f" .pdf)
	pdftotext "$f" - 2>/dev/null | tr -s ' \n' ' ' >"$tmp/flat"
	for want in "Cover sheet" "is asked to note" "Key messages." "Provenance." "$rules_hash" "MediMart $version"; do
		grep -qF "$want" "$tmp/flat" || bad "$n: cover sheet without '$want'"
	done
	for csv in "$tmp/data"/appointments.csv "$tmp/data"/org_hierarchy.csv "$tmp/data"/patients.csv; do
		grep -qF "$(sha256sum "$csv" | cut -c1-64)" "$tmp/flat" || bad "$n: no SHA-256 of $(basename "$csv")"
	done
done
ok "every pack has a cover sheet with the ask, key messages and the SHA-256 of its inputs and rules"
# A board paper opens with its cover sheet: the title page, then the cover
# sheet, then the contents.
for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f" .pdf)
	pdftotext -f 2 -l 2 "$f" - 2>/dev/null | grep -q '^Cover sheet$' || bad "$n: page 2 is not the cover sheet"
	pdftotext -f 2 -l 2 "$f" - 2>/dev/null | grep -q '^Contents$' && bad "$n: the contents come before the cover sheet"
	c=$(pdftotext "$f" - 2>/dev/null | awk '/^Contents$/ { print p + 1; exit } /\f/ { p += gsub(/\f/, "") }')
	[ "${c:-0}" -eq 3 ] || bad "$n: the contents are on page ${c:-?}, not page 3 after a one-page cover sheet"
done
ok "every pack: title page, a one-page cover sheet, then contents"

txt "$tmp/site/packs/trust-RX101.pdf" >"$tmp/rx101.txt"
grep -q "St Zoë O'Brien & Víctor <Royal> – “Ash” £ NHS Trust" "$tmp/rx101.txt" &&
	ok "trust pack: the name with accents, an apostrophe, a dash, curly quotes and £ is intact" ||
	bad "trust pack: name not found intact"
grep -q "Page 2 of" "$tmp/rx101.txt" && ok "trust pack: running footer with page n of N" || bad "trust pack: no page n of N"
grep -q "Contents" "$tmp/rx101.txt" && ok "trust pack: table of contents" || bad "trust pack: no contents"
open=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR > 1 && $c["trust_code"] == "RX101" { n++ } END { print n + 0 }' \
	"$tmp/target/models/fct_overdue_cases.csv")
shown=$(awk -v n="$open" 'BEGIN { r = int(n / 5 + 0.5) * 5; printf "%\047d", r }')
grep -q "$shown" "$tmp/rx101.txt" && ok "trust pack: $shown open pathways (rounded from $open)" ||
	bad "trust pack: open pathways $shown (from $open) not found"
# Board packs never hold identifiers.
colno() { head -n 1 "$1" | tr -d '\r' | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
c=$(colno "$tmp/data/patients.csv" Id)
tail -n +2 "$tmp/data/patients.csv" | cut -d, -f"$c" | head -n 2000 >"$tmp/ids"
leak=0
for f in "$tmp/site/packs"/*.pdf; do
	txt "$f" | grep -qF -f "$tmp/ids" && { bad "$(basename "$f"): holds a patient id"; leak=1; }
done
[ $leak -eq 0 ] && ok "no patient id in any pack"

# Slot use in the last 13 complete weeks: every Trust and ICS pack shows
# the figure of the mart over the same window (week_start in
# (census - 13 weeks - 6 days, census - 6 days]), from attendances rounded
# to the nearest 5 as the board rule has it (planned slots count no people
# and are exact); the ICS pack shows the ICS page's.
census=$(awk -F'"' '/"census":/ { print $4; exit }' "$tmp/target/run_results.json")
# The window's ends as YYYY-MM-DD, which compare as strings.
hi=$(date -u -d "$census - 6 days" +%F); lo=$(date -u -d "$census - 97 days" +%F)
slots_used() { # column (trust_code or ics_code), code
	awk -F, -v col="$1" -v code="$2" -v lo="$lo" -v hi="$hi" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c[col] == code && $c["week_start"] > lo && $c["week_start"] <= hi { a += $c["attended"]; p += $c["planned_slots"] }
	function r5(n) { return n == 0 ? 0 : int((n + 2) / 5) * 5 }
	END { if (p > 0) printf "%.1f%%", 100 * r5(a) / p }' "$tmp/target/models/fct_capacity_audit.csv"
}
"$BIN" docs -q --data "$tmp/data" --target "$tmp/target-site" --out "$tmp/site-html" >/dev/null 2>&1 ||
	bad "docs for the slot-use comparison failed"
for f in "$tmp/site/packs"/trust-*.pdf "$tmp/site/packs"/ics-*.pdf; do
	n=$(basename "$f" .pdf); kind=${n%%-*}; code=${n#*-}
	got=$(txt "$f" | tr -s ' \n' ' ' | grep -o '[0-9.]*% of planned outpatient slots were used in the last 13 complete weeks' | cut -d' ' -f1)
	want=$(slots_used "${kind}_code" "$code")
	[ -n "$got" ] && [ "$got" = "$want" ] || bad "$n: slots used $got, the mart over the last 13 complete weeks gives $want"
	if [ "$kind" = ics ]; then
		page=$(awk '/kpi-label">Slot utilisation</ { f = 1; next } f && /kpi-value/ { gsub(/<[^>]*>/, ""); print; exit }' \
			"$tmp/site-html/ics/$code.html")
		[ "$got" = "$page" ] || bad "$n: slots used $got in the pack, $page on ics/$code.html"
	fi
done
ok "slots used in the last 13 complete weeks: every pack agrees with the mart, and each ICS pack with its page"

# Each pack's cover links to its accessible HTML twin on the site, by an
# address relative to the pack (packs/trust-RX101.pdf -> ../trust/RX101.html),
# and the twin is there.
twins=0
for f in "$tmp/site/packs"/*.pdf; do
	n=$(basename "$f" .pdf); kind=${n%%-*}; code=${n#*-}
	[ "$n" = brief ] && want=../index.html || want="../$kind/$code.html"
	got=$(qpdf --qdf --object-streams=disable "$f" - 2>/dev/null | grep -a -o '/URI ([^)]*)' | head -n 1 | sed 's|/URI (\(.*\))|\1|')
	if [ "$got" != "$want" ]; then bad "$n: the cover links to '$got', not $want"; twins=1
	elif [ ! -f "$tmp/site-html/packs/$want" ]; then bad "$n: its twin $want is not on the site"; twins=1; fi
done
[ $twins -eq 0 ] && ok "every pack's cover links to its HTML twin on the site"

# Each ICS pack lists its own system's cancellation reasons: its largest
# count is the mart's largest for that ICS (rounded to 5), not the nation's.
own=0
for f in "$tmp"/site/packs/ics-*.pdf; do
	code=$(basename "$f" .pdf); code=${code#ics-}
	want=$(awk -F, -v ics="$code" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$(c["ics_code"]) == ics && $(c["cause_side"]) != "dna" { n[$(c["cause_side"]) SUBSEP $(c["reason"])] += $(c["events"]) }
		END { m = 0; for (k in n) if (n[k] > m) m = n[k]; r = int((m + 2) / 5) * 5; if (r >= 1000) printf "%d,%03d", r / 1000, r % 1000; else print r }' \
		"$tmp/target/models/fct_delay_causes.csv")
	got=$(pdftotext -layout "$f" - 2>/dev/null | awk '/most common cancellation reasons in/ { on = 1; next } on && $NF ~ /^[0-9,]+$/ { print $NF; exit }')
	[ "$got" = "$want" ] || { bad "ics-$code: top cancellation reason count $got, the system's own is $want"; own=1; }
done
[ $own -eq 0 ] && ok "every ICS pack shows its own system's top cancellation reasons"

# Deterministic: the same inputs give the same bytes.
"$BIN" pack -q --data "$tmp/data" --target "$tmp/target2" --out "$tmp/site2" || bad "second pack run failed"
if diff -r "$tmp/site/packs" "$tmp/site2/packs" >/dev/null; then ok "a second run gives byte-identical packs"
else bad "packs differ between runs"; fi

[ $fail -eq 0 ] && echo "pdf: all checks passed" || echo "pdf: FAILED"
exit $fail
