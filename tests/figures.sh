#!/bin/sh
# The same figure in every place it is published agrees: the HTML pages,
# the PDF packs and the marts in the target folder. For three Trusts
# (the first, middle and last code of dim_organisation) and two ICSs (the
# first and last), the headline figures (list size, within 18 weeks, over
# 52 weeks, overdue, high-risk overdue, median wait, breaches due in 1, 2
# and 4 weeks, slots planned and used in the last 13 complete weeks, last
# month's list) are read from the area's page, from its pack's tiles,
# executive summary, cover sheet and tables, and worked out again from the
# marts with the board rule (docs/disclosure.md); each ICS page's and
# pack's row for a Trust is compared with that Trust's page, each site's
# row with dim_organisation and the capacity mart, and the "All areas"
# figures with the home page and kpi_summary. Figures are found by their
# labels (a KPI tile's title, a table's caption and column header, the
# words of a sentence), never by line numbers. tests/pdf.sh checks the
# packs on their own; tests/figures.awk does the reading and comparing.
# Usage: tests/figures.sh TARGET_DIR SITE_DIR   (a build already made, with
#                                              --materialize all: int_area_trend)
#        tests/figures.sh BIN DATA_DIR          (builds into a temporary folder)
# FIGURES_AREAS=all checks every Trust and ICS (a few times slower);
# FIGURES_KEEP=FILE keeps the figures read, one a line.
set -eu
here=$(dirname "$0")
tmp=$(mktemp -d)
trap '[ -n "${FIGURES_KEEP:-}" ] && cp "$tmp/records" "$FIGURES_KEEP"; rm -rf "$tmp"' EXIT
if [ -f "$1" ] && [ -x "$1" ]; then
	"$1" build -q --materialize all --data "$2" --target "$tmp/target" --out "$tmp/site" >"$tmp/build.out" 2>&1 ||
		{ echo "figures: FAILED: medimart build failed"; cat "$tmp/build.out"; exit 1; }
	target=$tmp/target site=$tmp/site
else
	target=$1 site=$2
fi
models=$target/models
command -v pdftotext >/dev/null 2>&1 ||
	{ echo "figures: FAILED: pdftotext is missing, from the Debian package poppler-utils (run: sh scripts/deps.sh test)"; exit 1; }
for f in "$models/dim_organisation.csv" "$models/fct_overdue_cases.csv" "$target/run_results.json" "$site/index.html"; do
	[ -f "$f" ] || { echo "figures: FAILED: $f is missing"; exit 1; }
done
A() { awk -f "$here/figures.awk" "$@"; }
# An empty list (plain Synthea data) publishes "No pathways" and "not
# measured" instead of figures; tests/run-extra.sh checks those words.
if [ "$(wc -l <"$models/fct_overdue_cases.csv")" -le 1 ]; then
	echo "figures: SKIPPED: this build has no open pathways, so no figure to compare"; exit 0
fi
out=$tmp/records # area <tab> figure <tab> place <tab> value
: >"$out"; : >"$tmp/missing"

# The 13 complete weeks before the census, as week_start in (lo, hi].
census=$(awk -F'"' '/"census":/ { print $4; exit }' "$target/run_results.json")
hi=$(date -u -d "$census - 6 days" +%F)
lo=$(date -u -d "$census - 97 days" +%F)
A -v mode=mart -v census="$census" -v lo="$lo" -v hi="$hi" "$models/fct_overdue_cases.csv" \
	"$models/fct_capacity_audit.csv" "$models/fct_waitlist_change.csv" "$models/int_area_trend.csv" \
	"$models/dim_organisation.csv" "$models/kpi_summary.csv" "$models/fct_waitlist_trend.csv" >>"$out"

# Codes and names of dim_organisation: site <tab> site code <tab> Trust
# code <tab> Trust name <tab> ICS code, names as pdftotext gives them with
# every UTF-8 character as one byte ("?"), so that columns line up.
u1() { LC_ALL=C sed 's/[\xc0-\xff][\x80-\xbf]*/?/g'; }
A -v mode=org "$models/dim_organisation.csv" >"$tmp/org"
u1 <"$tmp/org" >"$tmp/org1"
trusts=$(cut -f3 "$tmp/org" | sort -u)
icss=$(cut -f5 "$tmp/org" | sort -u)
nt=$(printf '%s\n' "$trusts" | wc -l)
pick_trusts=$(printf '%s\n' "$trusts" | awk -v n="$nt" 'NR == 1 || NR == int((n + 1) / 2) || NR == n' | sort -u)
pick_icss=$(printf '%s\n' "$icss" | sed -n '1p;$p' | sort -u)
if [ "${FIGURES_AREAS:-}" = all ]; then pick_trusts=$trusts pick_icss=$icss; fi

# File figures: read a helper's output (key <tab> value ...) and write a
# record for each column: file FIGURE1|FIGURE2|... PLACE [KEYMAP] [AREA],
# a FIGURE "-" skipped. A key "?" is a missing table or column; with AREA
# every line is that area's; with KEYMAP (name <tab> code) keys are looked up.
file() {
	awk -F'\t' -v figs="$1" -v place="$2" -v area="${4:-}" -v map="${3:-}" '
		BEGIN { nf = split(figs, fig, "|"); if (map != "") while ((getline l < map) > 0) { split(l, m, "\t"); code[m[1]] = m[2] } }
		$1 == "?" { for (i = 1; i <= nf; i++) print (area != "" ? area : "every row") "\t" fig[i] "\t" place "\t?" $2; next }
		{ a = area != "" ? area : ($1 in code ? code[$1] : $1)
		  for (i = 1; i <= nf; i++) if (fig[i] != "-") print a "\t" fig[i] "\t" place "\t" $(i + 1) }' >>"$out"
}
# Rows a table must have: expect KEYS N WHAT [FILL] adds, for each key of
# the file KEYS (one a line) without a row, a row of its N figures as
# FILL, or "?" (missing) without FILL: a count table grouped by pathways
# has no row for a site without any (0).
expect() {
	awk -F'\t' -v n="$2" -v what="$3" -v fill="${4:-}" 'NR == FNR { want[++nw] = $1; next } { print; got[$1] = 1; if ($1 == "?") gone = 1 }
		END { for (j = 1; j <= nw && !gone; j++) if (!(want[j] in got)) { l = want[j]; for (i = 1; i <= n; i++) l = l "\t" (fill != "" ? fill : "?no row for it in " what); print l } }' "$1" -
}
# A Trust or site by the link of its row: ../trust/RX101.html -> RX101.
hrefs() { sed 's|^\.\./trust/\([^/.]*\)\.html\t|\1\t|'; }
# Stars of a listing stand for 0 to 7 when its zeros are shown as "*".
listing() { awk 'BEGIN { FS = OFS = "\t" } { for (i = 2; i <= NF; i++) if ($i == "*") $i = "*0"; print }'; }
# "Name <tab> code" maps for sites and Trusts, as HTML and as PDF text.
cut -f1,2 "$tmp/org" >"$tmp/sites.map"; cut -f1,2 "$tmp/org1" >"$tmp/sites1.map"
cut -f4,3 "$tmp/org1" | awk -F'\t' '{ print $2 "\t" $1 }' | sort -u >"$tmp/trusts1.map"
cut -f4,3 "$tmp/org" | awk -F'\t' '{ print $2 "\t" $1 }' | sort -u >"$tmp/trusts.map"

tiles='Waiting list size|Waiting 18 weeks or less|Waiting over 52 weeks|Overdue cases|High-risk overdue pathways|Median wait'
figs='list size|within 18 weeks|over 52 weeks|overdue|high-risk overdue|median wait (weeks)'
# Tiles: title <tab> value <tab> All areas, as records of AREA and of all areas.
tiles() { # place area [with its "All areas" figures: 1]
	awk -F'\t' -v figs="$figs" -v place="$1 tile" -v area="$2" -v all="${3:-1}" '
		{ split(figs, f, "|"); print area "\t" f[NR] "\t" place "\t" $2
		  if (all == 1) print "all areas\t" f[NR] "\t" place ", All areas\t" $3 }' >>"$out"
}
html() { # page: its lines in $tmp/page; a missing page is a failure
	if [ -f "$site/$1" ]; then A -v mode=html "$site/$1" >"$tmp/page"
	else printf 'FAIL %s is missing\n' "$1" >>"$tmp/missing"; : >"$tmp/page"; fi
}
pdf() { # pack: its text in $tmp/pack; a missing pack is a failure
	if [ -f "$site/$1" ]; then pdftotext -layout "$site/$1" - 2>/dev/null | u1 >"$tmp/pack"
	else printf 'FAIL %s is missing\n' "$1" >>"$tmp/missing"; : >"$tmp/pack"; fi
}
# The "Latest" figure of the SPC chart of Y on a page; a chart whose every
# figure is suppressed is a note under its title instead.
spc() { # chart's y label, figure, place, area, chart's title
	l=$(grep "^B	[^	]*	SPC chart (XmR) of $1 by month" "$tmp/page" | head -n 1 | cut -f3)
	if [ -z "$l" ] && awk -F'\t' -v t="$5" '$1 == "B" && prev == t && $3 ~ /^Every figure of this chart is between 1 and 7/ { ok = 1 } $1 == "B" { prev = $3 } END { exit !ok }' "$tmp/page"; then
		printf '%s\t%s\t%s\t*\n' "$4" "$2" "$3" >>"$out"
	elif [ -z "$l" ]; then printf '%s\t%s\t%s\t?no SPC chart of %s\n' "$4" "$2" "$3" "$1" >>"$out"
	# Without a latest value the latest month is suppressed ("shown *").
	elif ! printf '%s\n' "$l" | grep -q ' Latest ' && printf '%s\n' "$l" | grep -qF '(shown *)'; then
		printf '%s\t%s\t%s\t*\n' "$4" "$2" "$3" >>"$out"
	else printf '%s\n' "$l" | A -v mode=phrases -v phrases='Latest @.' | sed "s|^|$4\t$2\t$3\t|" >>"$out"; fi
}
areapack() { # kind code: what the Trust and ICS packs have in common
	p=packs/$1-$2.pdf
	pdf "$p"
	A -v mode=ptiles -v labels="$tiles" "$tmp/pack" | tiles "$p" "$2"
	A -v mode=phrases -v phrases='@ of patients on the list had waited 18 weeks or less|Last month the figure was @.|@ pathways were open at the census, against @ at the end of last month|@ pathways are overdue|@ pathways had waited over 52 weeks|@ of planned outpatient slots were used in the last 13 complete weeks' \
		"$tmp/pack" | paste -s - | sed 's/^/-\t/' |
		file 'within 18 weeks|within 18 weeks last month|list size|list size last month|overdue|over 52 weeks|slots used, 13 weeks' "$p executive summary" "" "$2"
	A -v mode=phrases -v phrases='@ of the list had waited 18 weeks or less against the 92% standard, and @ pathways over 52 weeks|@ pathways were open at the census against @ a month before|@ pathways will breach in the next 4 weeks if not treated.' \
		"$tmp/pack" | paste -s - | sed 's/^/-\t/' |
		file 'within 18 weeks|over 52 weeks|list size|list size last month|breaches within 4 weeks' "$p cover sheet" "" "$2"
	A -v mode=prows -v caption='Change since last month' -v n=6 "$tmp/pack" | head -n 1 |
		file 'list size last month|list size|within 18 weeks last month|within 18 weeks|over 52 weeks last month|over 52 weeks' "$p table 'Change since last month'" "" "$2"
	A -v mode=prows -v caption='How long the open pathways have waited' -v n=6 "$tmp/pack" | head -n 1 |
		file 'list size|within 18 weeks|-|-|-|-' "$p table 'How long the open pathways have waited'" "" "$2"
}

for t in $pick_trusts; do
	html "trust/$t.html"
	A -v mode=kpis -v labels="$tiles" "$tmp/page" | tiles "trust/$t.html" "$t"
	grep '^B' "$tmp/page" | cut -f3 |
		A -v mode=phrases -v phrases='Within 1 week: @ pathways|Within 2 weeks: @ (RTT|Within 4 weeks: @ (RTT @, priority @)' | paste -s - | sed 's/^/-\t/' |
		file 'breaches within 1 week|breaches within 2 weeks|breaches within 4 weeks|breaches within 4 weeks, RTT standard|breaches within 4 weeks, priority target' \
			"trust/$t.html 'Breaches coming'" "" "$t"
	spc 'Within 18 weeks' 'within 18 weeks' "trust/$t.html SPC chart" "$t" 'Waiting within 18 weeks'
	spc 'Open pathways' 'list size' "trust/$t.html SPC chart" "$t" 'Waiting list size'
	spc 'Overdue pathways' 'overdue' "trust/$t.html SPC chart" "$t" 'Overdue pathways'
	awk -F'\t' -v t="$t" '$3 == t { print $1 }' "$tmp/org" | sort -u >"$tmp/keys"
	A -v mode=htable -v caption="Sites of " -v cols='Open pathways|Slots planned, last 13 complete weeks' "$tmp/page" |
		expect "$tmp/keys" 2 "the table 'Sites of'" |
		file 'open pathways|planned slots, 13 weeks' "trust/$t.html table 'Sites of'" "$tmp/sites.map"
	areapack trust "$t"
	p=packs/trust-$t.pdf
	A -v mode=phrases -v phrases='@ pathways will breach in the next 4 weeks if not treated (@ within 1 week, @ within 2): @ the RTT standard, @ a priority target' \
		"$tmp/pack" | sed 's/^/-\t/' |
		file 'breaches within 4 weeks|breaches within 1 week|breaches within 2 weeks|breaches within 4 weeks, RTT standard|breaches within 4 weeks, priority target' "$p executive summary" "" "$t"
	tsites=$(awk -F'\t' -v t="$t" '$3 == t { print $1 }' "$tmp/org1" | sort -u | paste -s -d'|' -)
	A -v mode=prows -v caption='Open pathways by site' -v n=5 -v all=1 -v names="$tsites" "$tmp/pack" | listing |
		file 'list size last month|open pathways|-|within 18 weeks (count)|over 52 weeks' "$p table 'Open pathways by site'" "$tmp/sites1.map"
	# Planned slots count no people and are exact: the specialties add up
	# to the Trust.
	A -v mode=prows -v caption='Planned and used slots by specialty, last 13 complete weeks' -v n=6 "$tmp/pack" |
		awk -F'\t' '$1 == "?" { print; bad = 1; exit } { s += $2; n++ } END { if (!bad) print (n ? "-\t" s : "?\tno rows in the table") }' |
		file 'planned slots, 13 weeks' "$p table 'Planned and used slots by specialty', added up" "" "$t"
done

for i in $pick_icss; do
	html "ics/$i.html"
	A -v mode=kpis -v labels="$tiles" "$tmp/page" | tiles "ics/$i.html" "$i"
	A -v mode=kpis -v labels='Slot utilisation' "$tmp/page" >"$tmp/slots"
	cut -f1,2 "$tmp/slots" | file 'slots used, 13 weeks' "ics/$i.html tile" "" "$i"
	cut -f1,3 "$tmp/slots" | file 'slots used, 13 weeks' "ics/$i.html tile, All areas" "" "all areas"
	spc 'Within 18 weeks' 'within 18 weeks' "ics/$i.html SPC chart" "$i" 'Waiting within 18 weeks'
	spc 'Open pathways' 'list size' "ics/$i.html SPC chart" "$i" 'Waiting list size'
	spc 'Overdue pathways' 'overdue' "ics/$i.html SPC chart" "$i" 'Overdue pathways'
	awk -F'\t' -v i="$i" '$5 == i { print $3 }' "$tmp/org" | sort -u >"$tmp/keys"
	A -v mode=htable -v caption='Trusts in ' -v cols='Open pathways|Overdue|Within 18 weeks|Over 52 weeks|Median wait (weeks)' "$tmp/page" | hrefs |
		expect "$tmp/keys" 5 "the table 'Trusts in'" |
		file 'list size|overdue|within 18 weeks|over 52 weeks|median wait (weeks)' "ics/$i.html table 'Trusts in'" "$tmp/trusts.map"
	awk -F'\t' -v i="$i" '$5 == i { print $1 }' "$tmp/org" | sort -u >"$tmp/keys"
	A -v mode=htable -v caption='Sites of ' -v cols='Open pathways' "$tmp/page" |
		expect "$tmp/keys" 1 "the table 'Sites of ...: risk and list type'" 0 |
		file 'open pathways' "ics/$i.html table 'Sites of ...: risk and list type'" "$tmp/sites.map"
	A -v mode=htable -v caption='Sites, last 13 complete weeks' -v cols='Planned slots|Attended|Slots used' "$tmp/page" |
		file 'planned slots, 13 weeks|attended, 13 weeks|slots used, 13 weeks' "ics/$i.html table 'Sites, last 13 complete weeks'" "$tmp/sites.map"
	areapack ics "$i"
	p=packs/ics-$i.pdf
	names=$(awk -F'\t' -v i="$i" '$5 == i { print $4 }' "$tmp/org1" | sort -u | paste -s -d'|' -)
	A -v mode=prows -v caption='Open pathways by Trust' -v n=5 -v all=1 -v names="$names" "$tmp/pack" | listing |
		file 'list size last month|list size|-|within 18 weeks|over 52 weeks' "$p table 'Open pathways by Trust'" "$tmp/trusts1.map"
	# Overdue pathways of the High tier; a Trust without a row has none.
	A -v mode=prows -v caption='Overdue pathways by Trust and risk tier' -v n=1 "$tmp/pack" | listing |
		awk -F'\t' -v names="$names" 'BEGIN { n = split(names, a, "|") }
			$1 == "?" { print; gone = 1; exit }
			sub(/ High$/, "", $1) { for (i = 1; i <= n; i++) if (index(a[i], $1) == 1) { print a[i] "\t" $2; seen[a[i]] = 1 } }
			END { for (i = 1; i <= n && !gone; i++) if (!(a[i] in seen)) print a[i] "\t0" }' |
		file 'high-risk overdue' "$p table 'Overdue pathways by Trust and risk tier'" "$tmp/trusts1.map"
	sites=$(awk -F'\t' -v i="$i" '$5 == i { print $1 }' "$tmp/org1" | sort -u | paste -s -d'|' -)
	A -v mode=prows -v caption='Where capacity is least used: sites, last 13 complete weeks' -v n=6 -v names="$sites" "$tmp/pack" | listing |
		file 'planned slots, 13 weeks|-|attended, 13 weeks|slots used, 13 weeks' "$p table 'Where capacity is least used'" "$tmp/sites1.map"
	# Every Trust of the ICS: its page's tiles, for the ICS's rows.
	for t in $(awk -F'\t' -v i="$i" '$5 == i { print $3 }' "$tmp/org" | sort -u); do
		printf '%s\n' "$pick_trusts" | grep -qx "$t" && continue
		html "trust/$t.html"
		A -v mode=kpis -v labels="$tiles" "$tmp/page" | tiles "trust/$t.html" "$t" 0
	done
done

html index.html
A -v mode=kpis -v labels="$tiles" "$tmp/page" | cut -f1,2 | tiles index.html 'all areas' 0
pdf packs/brief.pdf
A -v mode=ptiles -v labels="$tiles" "$tmp/pack" | cut -f1,2 | tiles packs/brief.pdf 'all areas' 0

[ -s "$tmp/missing" ] && cat "$tmp/missing"
A -v mode=compare "$out" && [ ! -s "$tmp/missing" ] && echo "figures: $(echo $pick_trusts | tr ' ' ','), $(echo $pick_icss | tr ' ' ',') and all areas agree on every page, pack and mart" ||
	{ echo "figures: FAILED"; exit 1; }
