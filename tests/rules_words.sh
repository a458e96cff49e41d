#!/bin/sh
# Every published sentence that states a rule comes from the rules file:
# change one rule at a time in a copy of data/risk_rules.txt, rebuild a
# small data set, and look for the new wording and the absence of the old
# in the site's pages and in the text of every PDF pack.
# Usage: tests/rules_words.sh BIN [PATIENTS]
set -eu
BIN=$1
PATIENTS=${2:-2000}
RULES=data/risk_rules.txt
command -v pdftotext >/dev/null 2>&1 || {
	if [ "${CI:-}" = true ] || [ "$(id -u)" = 0 ]; then echo "FAIL: pdftotext (poppler-utils) is missing"; exit 1; fi
	echo "SKIPPED: pdftotext (poppler-utils) is missing"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { printf 'ok    %s\n' "$*"; }
bad() { printf 'FAIL  %s\n' "$*"; fail=1; }

"$BIN" -q synth --patients "$PATIENTS" --seed 42 --out "$tmp/data" >/dev/null

# The published words of a build as one line per file: tags dropped,
# entities that templates produce decoded, white space squeezed (the PDF
# text breaks lines anywhere).
words() {
	out=$1
	find "$out" -name '*.html' ! -path '*/models/*' ! -path '*/sources/*' | LC_ALL=C sort | while read -r f; do
		sed -e 's/<[^>]*>/ /g' -e "s/&#39;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
			-e 's/&amp;/\&/g' "$f" | tr -s ' \t\n\r' '    '
		printf '\n'
	done >"$out.site.txt"
	for f in "$out"/packs/*.pdf; do
		pdftotext -q "$f" - | tr -s ' \t\n\r\f' '     '
		printf '\n'
	done >"$out.packs.txt"
}

# build NAME SED: the rules with SED applied, built into $tmp/NAME.
build() {
	sed -e "$2" "$RULES" >"$tmp/$1.rules"
	if cmp -s "$RULES" "$tmp/$1.rules" && [ "$1" != base ]; then
		bad "$1: the edit '$2' changed nothing in $RULES"
		return 1
	fi
	"$BIN" build -q --data "$tmp/data" --rules "$tmp/$1.rules" --no-target --out "$tmp/$1" >"$tmp/$1.log" 2>&1 || {
		bad "$1: the build failed"; sed -n '1,5p' "$tmp/$1.log"; return 1; }
	words "$tmp/$1"
}

# has NAME WHERE PHRASE / hasnt NAME WHERE PHRASE, WHERE site or packs.
has() {
	if LC_ALL=C grep -qF -- "$3" "$tmp/$1.$2.txt"; then ok "$1: $2 says '$3'"; else bad "$1: $2 never says '$3'"; fi
}
hasnt() {
	n=$(LC_ALL=C grep -oF -- "$3" "$tmp/$1.$2.txt" | wc -l)
	if [ "$n" -eq 0 ]; then ok "$1: $2 no longer says '$3'"; else bad "$1: $2 still says '$3' ($n times)"; fi
}

build base 's/^#.*$/&/' || exit 1
# The checks below must be able to fail: the default rules publish the
# old words and none of the new ones.
for p in "grace period of 2 weeks" "P2 5 weeks" "aged 75 or over" "condition groups: 5 points" "a score of 9 or more" \
	"admissions in the last 26 weeks"; do
	if LC_ALL=C grep -qF -- "$p" "$tmp/base.site.txt" "$tmp/base.packs.txt"; then
		bad "base: the default build already says '$p': the checks below prove nothing"
	fi
done
for w in site packs; do
	has base $w "grace period of 1 week"
done

step() { printf -- '-- %s\n' "$*"; }

step "grace: breach grace_days 7 -> 14"
if build grace 's/^breach grace_days 7\b/breach grace_days 14/'; then
	for w in site packs; do
		has grace $w "grace period of 2 weeks"
		hasnt grace $w "grace period of 1 week"
		hasnt grace $w "plus one week"
		hasnt grace $w "one week's grace"
		hasnt grace $w "one week of grace"
		hasnt grace $w "a week's grace"
		hasnt grace $w "plus a week"
	done
	has grace site "following the rule \"RTT or local guidance plus 2 weeks\""
fi

step "priority target: target P2 28 -> 35"
if build target 's/^target P2 28\b/target P2 35/'; then
	for w in site packs; do
		has target $w "P2 5 weeks"
		hasnt target $w "P2 4 weeks"
		hasnt target $w "P2 within 4 weeks"
	done
fi

step "points value: comorbidities >= 3 scores 5 instead of 3"
if build points 's/^points comorbidities >= 3 3\b/points comorbidities >= 3 5/'; then
	for w in site packs; do
		has points $w "3 or more long-term condition groups: 5 points"
		hasnt points $w "3 or more long-term condition groups: 3 points"
	done
fi

step "age threshold: age >= 80 -> age >= 75"
if build age 's/^points age >= 80 3\b/points age >= 75 3/'; then
	for w in site packs; do
		has age $w "aged 75 or over: 3 points"
		hasnt age $w "aged 80 or over"
	done
fi

step "tier cut-off: tier High >= 7 -> 9"
if build tier 's/^tier High >= 7\b/tier High >= 9/'; then
	for w in site packs; do
		has tier $w "High for a score of 9 or more"
		hasnt tier $w "a score of 7 or more"
	done
fi

step "look-back: lookback admissions_days 365 -> 182"
if build lookback 's/^lookback admissions_days 365\b/lookback admissions_days 182/'; then
	for w in site packs; do
		has lookback $w "admissions in the last 26 weeks"
		hasnt lookback $w "admissions in the last 365 days"
	done
fi

[ $fail -eq 0 ] && echo "rules in words: all passed" || echo "rules in words: FAILED"
exit $fail
