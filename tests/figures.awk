# Helpers of tests/figures.sh, chosen by -v mode=...
#
# mode=html     one HTML page in, its text as lines out, whatever the page's
#               line breaks and indentation:
#                 T <tab> caption                  a table's caption
#                 H <tab> cell <tab> cell ...      a header row
#                 R <tab> href <tab> cell ...      a body row (href of its first link, or -)
#                 B <tab> class <tab> text         a p, li, h1-h6, dt, dd, figcaption or SVG desc
#               A suppressed value (<abbr title="...suppressed...">) reads
#               "*", or "*0" when its title says it stands for 0 to 7.
# mode=kpis     the lines of mode=html in; for each title of -v labels
#               ("A|B|..."): title <tab> value <tab> "All areas" figure, from
#               the KPI tile with that title ("?" for what is not there).
# mode=htable   the lines of mode=html in; the body rows of the first table
#               whose caption starts with -v caption: the first cell's link
#               (or text) <tab> the cells under the headers -v cols ("A|B"),
#               in that order; a "?" line when the table or a header is missing.
# mode=ptiles   pdftotext -layout text in (each UTF-8 character one byte);
#               as mode=kpis, from the tiles: a title alone in its column,
#               the value under it, the "All areas" line below that.
# mode=prows    pdftotext -layout text in; the rows of the table captioned
#               -v caption (and its "(continued)" parts, up to the note under
#               it): name <tab> the last -v n values of the line, the name
#               being the text before them; with -v names ("A|B"), only lines
#               whose text starts one of the names, which is then given whole,
#               and with -v all=1 a "?" row for each name without a row.
# mode=phrases  pdftotext text in; for each pattern of -v phrases ("A|B", "@"
#               for a figure), the figures of its first match in the text
#               with its lines joined, tab-separated, or "?".
# mode=compare  figure records in (area <tab> figure <tab> place <tab> value);
#               every place's value of a figure is compared with the mart's
#               (or, without one, the first place's); a FAIL line for each
#               disagreement or missing figure, then a summary; exit 1 on any.
# mode=mart, mode=org: the marts in, their figures out (below).
#
# Values: counts without thousands separators, "*" (1 to 7), "*0" (0 to 7:
# a listing column with a "*" shows its zeros as "*" too), rates as
# "58.7%", weeks as "14.7"; "?WHY" is a figure that could not be found.

function trim(s) { gsub(/^[ \t\r\n]+|[ \t\r\n]+$/, "", s); gsub(/[ \t\r\n]+/, " ", s); return s }
# A figure as published, in the form above.
function norm(s) {
	s = trim(s); sub(/\.$/, "", s); sub(/ weeks$/, "", s)
	if (s == "fewer than 8") return "*"
	gsub(/,/, "", s)
	if (s ~ /^-?[0-9]+(\.[0-9]+)?%$/) s = sprintf("%.1f%%", substr(s, 1, length(s) - 1))
	return s
}
function attr(tag, name,    re) {
	re = " " name "=\"[^\"]*\""
	if (!match(tag, re)) return ""
	return substr(tag, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
}
function unent(s) {
	gsub(/&nbsp;|&#160;/, " ", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s)
	gsub(/&quot;/, "\"", s); gsub(/&#39;/, "'", s); gsub(/&amp;/, "\\&", s)
	return s
}
function emit_block(    t) { if (inblock) { t = trim(buf); if (t != "") print "B\t" bclass "\t" t; inblock = 0; buf = "" } }
function put(s) {
	if (skip) return
	if (incell) cell = cell s
	else if (incap) cap = cap s
	else if (inblock) buf = buf s
}
function figure_re() { return "([0-9]+(,[0-9][0-9][0-9])*(\\.[0-9]+)?%?|\\*|fewer than 8)" }
function is_value(s) { return s ~ /^(-?[0-9][0-9,]*(\.[0-9]+)?%?|\*)$/ }
# Cells of a layout line: text runs separated by 2 spaces or more, with
# the column each starts at. Returns the number of cells.
function cells(s, text, at,    n, pos, rest, k) {
	n = 0; pos = 1; rest = s
	while (match(rest, /[^ ]+( [^ ]+)*/)) {
		n++; text[n] = substr(rest, RSTART, RLENGTH); at[n] = pos + RSTART - 1
		k = RSTART + RLENGTH; pos += k - 1; rest = substr(rest, k)
	}
	return n
}
# The cell of a line that starts nearest column c (within w), or "".
function cell_at(s, c, w,    text, at, n, i, best, d, bd) {
	n = cells(s, text, at); best = ""; bd = w + 1
	for (i = 1; i <= n; i++) { d = at[i] - c; if (d < 0) d = -d; if (d < bd) { bd = d; best = text[i] } }
	return best
}
function allareas(s) { if (!match(s, /All areas: [^ ]+( weeks)?/)) return "?"; return norm(substr(s, RSTART + 11, RLENGTH - 11)) }
function regex_quote(s) { gsub(/[][\\.^$*+?(){}|\/]/, "\\\\&", s); return s }

mode != "mart" && mode != "org" { line[++nl] = $0 }

END {
	if (mode == "html") do_html()
	else if (mode == "kpis") do_kpis()
	else if (mode == "htable") do_htable()
	else if (mode == "ptiles") do_ptiles()
	else if (mode == "prows") do_prows()
	else if (mode == "phrases") find_phrases()
	else if (mode == "compare") do_compare()
	else if (mode == "mart") mart_end()
	else if (mode == "org") { }
	else { print "figures.awk: unknown mode " mode > "/dev/stderr"; exit 2 }
}

function do_html(    page, i, parts, np, p, gt, tag, text, name, closing, title, row, ncells, href, header) {
	for (i = 1; i <= nl; i++) page = page " " line[i]
	np = split(page, parts, "<")
	put(unent(parts[1]))
	for (i = 2; i <= np; i++) {
		p = parts[i]
		gt = index(p, ">")
		if (gt == 0) { put(unent("<" p)); continue }
		tag = substr(p, 1, gt - 1); text = substr(p, gt + 1)
		if (substr(tag, 1, 1) == "!") { put(unent(text)); continue }
		closing = substr(tag, 1, 1) == "/"
		name = tolower(closing ? substr(tag, 2) : tag)
		sub(/[ \t\r\n\/].*$/, "", name)
		tag = " " substr(tag, length(name) + 1 + closing)
		if (name == "script" || name == "style") skip = !closing
		else if (name == "abbr") {
			if (!closing) {
				title = attr(tag, "title")
				if (title ~ /suppressed/) { put(title ~ /^0 to 7/ ? "*0" : "*"); skip = 1 }
			} else skip = 0
		} else if (name == "caption") {
			if (!closing) { incap = 1; cap = "" } else { incap = 0; print "T\t" trim(cap) }
		} else if (name == "tr") {
			if (!closing) { row = ""; ncells = 0; href = "-"; header = 1 }
			else if (ncells) print (header ? "H" : "R\t" href) row
		} else if (name == "th" || name == "td") {
			if (!closing) { incell = 1; cell = ""; if (name == "td" || attr(tag, "scope") == "row") header = 0 }
			else { incell = 0; row = row "\t" trim(cell); ncells++ }
		} else if (name == "a" && !closing && incell && href == "-") href = attr(tag, "href")
		else if (name ~ /^(p|li|h[1-6]|dt|dd|figcaption|desc)$/) {
			emit_block()
			if (!closing && !incell) { inblock = 1; buf = ""; bclass = attr(tag, "class") }
		} else if (name == "br") put(" ")
		put(unent(text))
	}
	emit_block()
}

function do_kpis(    want, nw, i, j, f, got, lab, val, std, s) {
	nw = split(labels, want, "|")
	for (i = 1; i <= nl; i++) {
		split(line[i], f, "\t")
		if (f[1] != "B") continue
		if (f[2] ~ /(^| )kpi-label( |$)/) { lab = f[3]; if (!(lab in got)) got[lab] = "?value\t?All areas" }
		else if (f[2] ~ /(^| )kpi-value( |$)/ && lab != "") { if (!(lab in val)) val[lab] = norm(f[3]) }
		else if (f[2] ~ /(^| )kpi-std( |$)/ && lab != "" && !(lab in std)) { s = allareas(f[3]); if (s != "?") std[lab] = s }
	}
	for (j = 1; j <= nw; j++) {
		lab = want[j]
		if (!(lab in got)) print lab "\t?no KPI tile titled '" lab "'\t?no KPI tile titled '" lab "'"
		else print lab "\t" (lab in val ? val[lab] : "?no value in the tile '" lab "'") "\t" (lab in std ? std[lab] : "?no 'All areas' in the tile '" lab "'")
	}
}

function do_htable(    want, nw, i, j, f, n, on, col, out, k) {
	nw = split(cols, want, "|")
	for (i = 1; i <= nl; i++) {
		n = split(line[i], f, "\t")
		if (f[1] == "T") { if (on) break; on = index(f[2], caption) == 1; continue }
		if (!on) continue
		if (f[1] == "H") {
			for (j = 1; j <= nw; j++) {
				col[j] = 0
				for (k = 2; k <= n; k++) if (f[k] == want[j]) col[j] = k + 1
				if (!col[j]) { print "?\tno column '" want[j] "' in the table '" caption "'"; return }
			}
		} else if (f[1] == "R") {
			out = f[2] == "-" ? f[3] : f[2]
			for (j = 1; j <= nw; j++) out = out "\t" norm(f[col[j]])
			print out
		}
	}
	if (!on) print "?\tno table captioned '" caption "'"
}

function do_ptiles(    want, nw, i, j, k, m, c, lab, val, std, v, s, re) {
	nw = split(labels, want, "|")
	for (j = 1; j <= nw; j++) {
		lab = want[j]; val = "?no tile titled '" lab "'"; std = val
		re = "(^|  )" regex_quote(lab) "(  |$)"
		for (i = 1; i <= nl; i++) {
			if (line[i] !~ re) continue
			c = index(line[i], lab)
			for (k = i + 1; k <= nl && line[k] ~ /^[ \t]*$/; k++);
			v = cell_at(line[k], c, length(lab))
			if (!is_value(v) && v !~ /^[0-9.]+ weeks$/) continue
			val = norm(v); std = "?no 'All areas' under the tile '" lab "'"
			for (m = k + 1; m <= nl && m <= k + 5; m++) {
				s = cell_at(line[m], c, length(lab))
				if (s ~ /All areas:/) { std = allareas(s); break }
			}
			break
		}
		print lab "\t" val "\t" std
	}
}

function do_prows(    want, nw, i, j, on, t, lead, nt, tok, out, k, name, ok, got) {
	nw = names == "" ? 0 : split(names, want, "|")
	for (i = 1; i <= nl; i++) {
		t = trim(line[i])
		if (t == caption || t == caption " (continued)") { on = 1; found = 1; continue }
		if (!on) continue
		if (t ~ /^Counts are rounded/) { on = 0; continue }
		nt = split(t, tok, " ")
		if (nt < n || (nt == n && nw)) continue
		ok = 1
		for (k = nt - n + 1; k <= nt; k++) if (!is_value(tok[k])) ok = 0
		if (!ok) continue
		lead = tok[1]; for (k = 2; k <= nt - n; k++) lead = lead " " tok[k]
		name = nw ? "" : (nt == n ? "-" : lead)
		for (j = 1; j <= nw; j++) if (index(want[j], lead) == 1 && length(lead) >= 8 && (name == "" || want[j] == lead)) name = want[j]
		if (name == "") continue
		out = name; got[name] = 1
		for (k = nt - n + 1; k <= nt; k++) out = out "\t" norm(tok[k])
		print out
	}
	for (j = 1; j <= nw && all && found; j++) if (!(want[j] in got)) {
		out = want[j]; for (k = 1; k <= n; k++) out = out "\t?no row for it in the table '" caption "'"
		print out
	}
	if (!found) print "?\tno table captioned '" caption "'"
}

function find_phrases(    text, i, want, nw, j, pieces, np, re, k, s, out, v) {
	for (i = 1; i <= nl; i++) text = text " " line[i]
	text = trim(text)
	nw = split(phrases, want, "|")
	for (j = 1; j <= nw; j++) {
		np = split(want[j], pieces, "@")
		re = regex_quote(pieces[1])
		for (k = 2; k <= np; k++) re = re figure_re() regex_quote(pieces[k])
		if (!match(text, re)) {
			for (k = 1; k < np; k++) printf "%s?no text '%s'", (k > 1 ? "\t" : ""), want[j]
			print ""; continue
		}
		s = substr(text, RSTART, RLENGTH); out = ""
		for (k = 1; k < np; k++) {
			s = substr(s, length(pieces[k]) + 1)
			match(s, "^" figure_re()); v = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1)
			out = out (k > 1 ? "\t" : "") norm(v)
		}
		print out
	}
}

function compatible(a, b) {
	if (a == b) return 1
	if (a == "*0") return b == "*" || b == "0"
	if (b == "*0") return a == "*" || a == "0"
	return 0
}
function label(key,    p) { split(key, p, SUBSEP); return p[2] " of " p[1] }

function do_compare(    i, f, key, seen, order, ngroups, count, place, value, g, n, ref, others, compared, groups, published, places, bad) {
	for (i = 1; i <= nl; i++) {
		split(line[i], f, "\t")
		key = f[1] SUBSEP f[2]
		if (!(key in seen)) { seen[key] = 1; order[++ngroups] = key }
		n = ++count[key]; place[key, n] = f[3]; value[key, n] = f[4]
	}
	for (g = 1; g <= ngroups; g++) {
		key = order[g]; n = count[key]; ref = 0
		# The reference: the mart a figure is defined on (the list's pathways,
		# the capacity audit), else any mart, else the first place.
		for (i = 1; i <= n; i++) if (place[key, i] ~ /^mart fct_(overdue_cases|capacity_audit)$/ && value[key, i] !~ /^\?/) { ref = i; break }
		for (i = 1; i <= n && !ref; i++) if (place[key, i] ~ /^mart / && value[key, i] !~ /^\?/) ref = i
		for (i = 1; i <= n && !ref; i++) if (value[key, i] !~ /^\?/) ref = i
		for (i = 1; i <= n; i++) if (value[key, i] ~ /^\?/) {
			printf "FAIL %s: not found in %s: %s\n", label(key), place[key, i], substr(value[key, i], 2); bad++
		}
		if (!ref) continue
		others = 0
		for (i = 1; i <= n; i++) {
			if (i == ref || value[key, i] ~ /^\?/) continue
			others++; compared++
			if (!compatible(value[key, ref], value[key, i])) {
				printf "FAIL %s: %s shows %s, %s shows %s\n", label(key), place[key, ref], value[key, ref], place[key, i], value[key, i]
				bad++
			}
		}
		# The mart's own figures of areas whose pages are not read have
		# nothing to agree with and are left out; any other figure found
		# in one place only means a figure was filed under the wrong name.
		if (!others && place[key, ref] !~ /^mart /) {
			printf "FAIL %s: only %s shows it, nothing to compare it with\n", label(key), place[key, ref]; bad++
		}
		if (others) { groups++; places += others + 1 }
		for (i = 1; i <= n; i++) if (place[key, i] !~ /^mart /) { published++; break }
	}
	printf "figures: %d figures compared (%d of them published on pages or in packs, the others between marts), %d values in all, %d disagreements\n", groups, published, places, bad
	exit bad > 0
}

# mode=mart: the marts in (-v models=DIR/ before each file name is not
# needed: files are told apart by their names), the published figures out
# as records: area <tab> figure <tab> "mart MODEL" <tab> value, for every
# Trust (by code), ICS (by code), site (by site code) and "all areas",
# with the board rule applied (-v lo, hi: the 13 complete weeks, as
# week_start in (lo, hi]; -v census).
function csv(s, a,    n, i, c, q, f) {
	if (index(s, "\"") == 0) return split(s, a, ",")
	n = 0; f = ""; q = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q) { if (c == "\"") { if (substr(s, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 } else f = f c }
		else if (c == "\"") q = 1
		else if (c == ",") { a[++n] = f; f = "" }
		else f = f c
	}
	a[++n] = f
	return n
}
# The board rule of docs/disclosure.md: 0, "*" for 1 to 7, else the
# nearest 5; a rate from the rounded count over the rounded (or, for
# planned slots, exact) denominator; a median over 1 to 7 values is "*";
# a rate or median over nothing is not measured, and left out ("").
function r5(n) { n += 0; return n == 0 ? 0 : (n <= 7 ? "*" : int((n + 2) / 5) * 5) }
function rate(a, b) { return a == "*" || b == "*" ? "*" : (b == 0 ? "" : sprintf("%.1f%%", 100 * a / b)) }
function rec(area, fig, model, v) { if (v != "") print area "\t" fig "\tmart " model "\t" v }
function median_weeks(key, n,    rank, d, seen) {
	if (n == 0) return ""
	if (n >= 1 && n <= 7) return "*"
	rank = int((50 * n + 99) / 100)
	for (d = 0; d <= maxwait[key]; d++) if ((seen += nwait[key, d]) >= rank) return sprintf("%.1f", d / 7)
	return "?no median"
}
mode == "mart" && NR == 1 {
	need["fct_overdue_cases"] = "trust_code ics_code site_id wait_days rtt_breach over_52_weeks is_overdue risk_tier days_to_breach rtt_days_to_breach priority_days_to_breach"
	need["fct_capacity_audit"] = "week_start trust_code ics_code site_id planned_slots attended"
	need["fct_waitlist_change"] = "site_id trust_code ics_code list_size within_18_weeks over_52_weeks prev_list_size prev_within_18_weeks prev_over_52_weeks"
	need["int_area_trend"] = "level area_code treatment_function month_end list_size within_18_weeks over_52_weeks overdue"
	need["dim_organisation"] = "site_id site_code open_pathways planned_slots_13w"
	need["kpi_summary"] = "kpi value"
	need["fct_waitlist_trend"] = "month_end list_size pct_within_18_weeks over_52_weeks"
}
mode == "mart" && FNR == 1 {
	model = FILENAME; sub(/^.*\//, "", model); sub(/\.csv$/, "", model)
	sub(/\r$/, "")
	split("", c); n = csv($0, h); for (i = 1; i <= n; i++) c[h[i]] = i
	n = split(need[model], h, " ")
	for (i = 1; i <= n; i++) if (!(h[i] in c)) rec(model ".csv", "column " h[i], model, "?no column " h[i])
	next
}
mode == "mart" {
	sub(/\r$/, ""); csv($0, v)
	if (model == "fct_overdue_cases") {
		k[1] = "all areas"; k[2] = v[c["trust_code"]]; k[3] = v[c["ics_code"]]; k[4] = v[c["site_id"]]
		for (j = 1; j <= 4; j++) {
			a = k[j]; areas[a] = 1; nlist[a]++
			d = v[c["wait_days"]] + 0; nwait[a, d]++; if (d > maxwait[a]) maxwait[a] = d
			if (v[c["rtt_breach"]] == "false") within[a]++
			if (v[c["over_52_weeks"]] == "true") o52[a]++
			if (v[c["is_overdue"]] == "true") { overdue[a]++; if (v[c["risk_tier"]] == "High") hro[a]++ }
			d = v[c["days_to_breach"]]
			if (d != "") { d += 0; if (d <= 7) b1[a]++; if (d <= 14) b2[a]++; if (d <= 28) b4[a]++ }
			d = v[c["rtt_days_to_breach"]]; if (d != "" && d + 0 > 0 && d + 0 <= 28) b4r[a]++
			d = v[c["priority_days_to_breach"]]; if (d != "" && d + 0 > 0 && d + 0 <= 28) b4p[a]++
		}
	} else if (model == "fct_capacity_audit") {
		if (v[c["week_start"]] <= lo || v[c["week_start"]] > hi) next
		k[1] = "all areas"; k[2] = v[c["trust_code"]]; k[3] = v[c["ics_code"]]; k[4] = v[c["site_id"]]
		for (j = 1; j <= 4; j++) { capareas[k[j]] = 1; planned[k[j]] += v[c["planned_slots"]]; attended[k[j]] += v[c["attended"]] }
	} else if (model == "fct_waitlist_change") {
		k[1] = "all areas"; k[2] = v[c["trust_code"]]; k[3] = v[c["ics_code"]]; k[4] = v[c["site_id"]]
		for (j = 1; j <= 4; j++) {
			a = k[j]; chg[a] = 1
			wl[a] += v[c["list_size"]]; ww[a] += v[c["within_18_weeks"]]; wo[a] += v[c["over_52_weeks"]]
			pl[a] += v[c["prev_list_size"]]; pw[a] += v[c["prev_within_18_weeks"]]; po[a] += v[c["prev_over_52_weeks"]]
		}
	} else if (model == "int_area_trend") {
		a = v[c["level"]] == "national" ? "all areas" : v[c["area_code"]]
		if (v[c["level"]] !~ /^(national|ics|trust)$/ || v[c["treatment_function"]] != "") next
		m = v[c["month_end"]]
		if (m == census) { t = "" } else if (m < census && m > prevm[a]) { prevm[a] = m; t = "last month" } else next
		if (t == "") {
			rec(a, "list size", model, r5(v[c["list_size"]]))
			if (a != "all areas") rec(a, "within 18 weeks", model, rate(r5(v[c["within_18_weeks"]]), r5(v[c["list_size"]])))
			rec(a, "over 52 weeks", model, r5(v[c["over_52_weeks"]]))
			rec(a, "overdue", model, r5(v[c["overdue"]]))
		} else { prevl[a] = v[c["list_size"]]; prevw[a] = v[c["within_18_weeks"]]; prevo[a] = v[c["over_52_weeks"]] }
	} else if (model == "dim_organisation") {
		site_code[v[c["site_id"]]] = v[c["site_code"]]
		rec(v[c["site_code"]], "open pathways", model, r5(v[c["open_pathways"]]))
		rec(v[c["site_code"]], "planned slots, 13 weeks", model, v[c["planned_slots_13w"]])
	} else if (model == "kpi_summary") {
		kpi[v[c["kpi"]]] = v[c["value"]]
	} else if (model == "fct_waitlist_trend") {
		if (v[c["month_end"]] == census) {
			rec("all areas", "list size", model, r5(v[c["list_size"]]))
			if (v[c["list_size"]] + 0 >= 1000) rec("all areas", "within 18 weeks", model, sprintf("%.1f%%", v[c["pct_within_18_weeks"]]))
			rec("all areas", "over 52 weeks", model, r5(v[c["over_52_weeks"]]))
		}
	}
	next
}
function mart_end(    a, n, s, top) {
	for (a in areas) {
		n = nlist[a]; s = a in site_code ? site_code[a] : a
		if (s != a) {
			rec(s, "open pathways", "fct_overdue_cases", r5(n))
			rec(s, "within 18 weeks (count)", "fct_overdue_cases", r5(within[a] + 0))
			rec(s, "over 52 weeks", "fct_overdue_cases", r5(o52[a] + 0))
			continue
		}
		# The top level's rates and median are exact in a build of 1,000
		# open pathways or more (sdc_top_level_exempt).
		top = a == "all areas" && n >= 1000
		rec(a, "list size", "fct_overdue_cases", r5(n))
		rec(a, "within 18 weeks", "fct_overdue_cases", top ? sprintf("%.1f%%", 100 * within[a] / n) : rate(r5(within[a] + 0), r5(n)))
		rec(a, "over 52 weeks", "fct_overdue_cases", r5(o52[a] + 0))
		rec(a, "overdue", "fct_overdue_cases", r5(overdue[a] + 0))
		rec(a, "high-risk overdue", "fct_overdue_cases", r5(hro[a] + 0))
		rec(a, "median wait (weeks)", "fct_overdue_cases", median_weeks(a, n))
		rec(a, "breaches within 1 week", "fct_overdue_cases", r5(b1[a] + 0))
		rec(a, "breaches within 2 weeks", "fct_overdue_cases", r5(b2[a] + 0))
		rec(a, "breaches within 4 weeks", "fct_overdue_cases", r5(b4[a] + 0))
		rec(a, "breaches within 4 weeks, RTT standard", "fct_overdue_cases", r5(b4r[a] + 0))
		rec(a, "breaches within 4 weeks, priority target", "fct_overdue_cases", r5(b4p[a] + 0))
	}
	for (a in capareas) {
		s = a in site_code ? site_code[a] : a
		rec(s, "planned slots, 13 weeks", "fct_capacity_audit", planned[a])
		rec(s, "attended, 13 weeks", "fct_capacity_audit", r5(attended[a]))
		# Below 1,000 open pathways the top level's rates from kpi_summary
		# are withheld where the renderer does not know their counts
		# (docs/disclosure.md): "All areas" slot use is then "*".
		if (a != "all areas" || nlist[a] >= 1000) rec(s, "slots used, 13 weeks", "fct_capacity_audit", rate(r5(attended[a]), planned[a]))
	}
	for (a in chg) {
		if (a in site_code) {
			s = site_code[a]
			rec(s, "open pathways", "fct_waitlist_change", r5(wl[a]))
			rec(s, "within 18 weeks (count)", "fct_waitlist_change", r5(ww[a]))
			rec(s, "over 52 weeks", "fct_waitlist_change", r5(wo[a]))
			rec(s, "list size last month", "fct_waitlist_change", r5(pl[a]))
			continue
		}
		rec(a, "list size", "fct_waitlist_change", r5(wl[a]))
		if (a != "all areas") rec(a, "within 18 weeks", "fct_waitlist_change", rate(r5(ww[a]), r5(wl[a])))
		rec(a, "over 52 weeks", "fct_waitlist_change", r5(wo[a]))
		rec(a, "list size last month", "fct_waitlist_change", r5(pl[a]))
		rec(a, "within 18 weeks last month", "fct_waitlist_change", rate(r5(pw[a]), r5(pl[a])))
		rec(a, "over 52 weeks last month", "fct_waitlist_change", r5(po[a]))
	}
	for (a in prevl) {
		rec(a, "list size last month", "int_area_trend", r5(prevl[a]))
		rec(a, "within 18 weeks last month", "int_area_trend", rate(r5(prevw[a]), r5(prevl[a])))
		rec(a, "over 52 weeks last month", "int_area_trend", r5(prevo[a]))
	}
	if ("list_size" in kpi) {
		rec("all areas", "list size", "kpi_summary", r5(kpi["list_size"]))
		if (kpi["list_size"] + 0 >= 1000 && kpi["pct_within_18_weeks"] != "") rec("all areas", "within 18 weeks", "kpi_summary", sprintf("%.1f%%", kpi["pct_within_18_weeks"]))
		rec("all areas", "over 52 weeks", "kpi_summary", r5(kpi["over_52_weeks"]))
		rec("all areas", "overdue", "kpi_summary", r5(kpi["overdue_cases"]))
		rec("all areas", "high-risk overdue", "kpi_summary", r5(kpi["high_risk_overdue"]))
		if (kpi["median_wait_weeks"] != "") rec("all areas", "median wait (weeks)", "kpi_summary", sprintf("%.1f", kpi["median_wait_weeks"]))
	}
}

# mode=org: dim_organisation.csv in; site name <tab> site code <tab> Trust
# code <tab> Trust name <tab> ICS code out.
mode == "org" && FNR == 1 { sub(/\r$/, ""); n = csv($0, h); for (i = 1; i <= n; i++) c[h[i]] = i; next }
mode == "org" { sub(/\r$/, ""); csv($0, v); print v[c["site_name"]] "\t" v[c["site_code"]] "\t" v[c["trust_code"]] "\t" v[c["trust_name"]] "\t" v[c["ics_code"]] }
