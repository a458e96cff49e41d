# Differencing attack on the ledger of published figures (see
# docs/disclosure.md and src/registry/disclosure.h for the format).
#
# Every published count becomes an interval of the values it could stand
# for: "*" is 1 to 7 (-7 to 7 where the measure has negative values), "*0"
# (a "*" in a listing that shows its zeros as "*") 0 to 7, 0 is 0, a multiple of 5 from 10 up is that number
# +-2, and any other number is taken as exact. The same cell published
# twice keeps the intersection. A cell "d:col=v" term less is its parent:
# the parent is at least the sum of its children over col, and equal to it
# when the set is known to be whole (a child was published in a listing of
# every group of col that no limit cut, or col is the key of the pages'
# entity). Sums are propagated both ways until nothing narrows, as a
# reader with the pages, packs and downloads side by side could do. A suppressed cell whose interval shrinks to one value is given
# away; so is any pair of publications that contradict each other.
# Prints one line per finding and exits 1 if there is any.
BEGIN { FS = "\t"; BIG = 1e12; nk = 0 }

function node(k,   m) {
	if (!(k in lo)) {
		split(k, m, SUBSEP)
		lo[k] = (m[1] SUBSEP m[2]) in signed ? -BIG : 0
		hi[k] = BIG
		keys[++nk] = k
	}
}

NF >= 5 {
	nr++
	rk[nr] = $1 SUBSEP $2 SUBSEP $3
	rv[nr] = $4
	rw[nr] = $5
	if ($4 != "*" && $4 + 0 < 0) signed[$1 SUBSEP $2] = 1
}

END {
	# A measure that takes negative values (a difference) is signed: there
	# "*" stands for -7 to 7.
	for (i = 1; i <= nr; i++) {
		k = rk[i]
		node(k)
		pub[k] = 1
		split(k, mm, SUBSEP)
		if (rv[i] == "*") {
			a = (mm[1] SUBSEP mm[2]) in signed ? -7 : 1
			b = 7
			star[k] = 1
		} else if (rv[i] == "*0") {
			# a "*" in a listing whose zeros show as "*" too
			a = (mm[1] SUBSEP mm[2]) in signed ? -7 : 0
			b = 7
			star[k] = 1
		} else {
			n = rv[i] + 0
			if ((n >= 10 || n <= -10) && n % 5 == 0) { a = n - 2; b = n + 2 }
			else { a = n; b = n }
		}
		if (a > lo[k]) lo[k] = a
		if (b < hi[k]) hi[k] = b
		if (rw[i] != "-") {
			nw = split(rw[i], w, ",")
			for (j = 1; j <= nw; j++) whole[k, w[j]] = 1
		}
		lines++
	}
	# Families: parent + one "d:" column -> the children.
	nf = 0
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		split(k, part, SUBSEP)
		nt = split(part[3], t, ";")
		for (j = 1; j <= nt; j++) {
			if (substr(t[j], 1, 2) != "d:")
				continue
			col = substr(t[j], 3)
			sub(/=.*/, "", col)
			p = ""
			for (m = 1; m <= nt; m++)
				if (m != j)
					p = p (p == "" ? "" : ";") t[m]
			pk = part[1] SUBSEP part[2] SUBSEP p
			fam = pk SUBSEP col
			if (!(fam in fn)) { fn[fam] = 0; fams[++nf] = fam; fparent[fam] = pk; fcut[fam] = 1 }
			fkid[fam, ++fn[fam]] = k
			if ((k, col) in whole) delete fcut[fam]
		}
	}
	for (f = 1; f <= nf; f++)
		node(fparent[fams[f]])
	for (pass = 1; pass <= 20; pass++) {
		changed = 0
		for (f = 1; f <= nf; f++) {
			fam = fams[f]
			pk = fparent[fam]
			n = fn[fam]
			if (n < 1) continue
			slo = 0; shi = 0
			for (j = 1; j <= n; j++) { slo += lo[fkid[fam, j]]; shi += hi[fkid[fam, j]] }
			# parent >= sum of the children; = when the listing is whole
			if (slo > lo[pk]) { lo[pk] = slo; changed = 1 }
			if (!(fam in fcut) && shi < hi[pk]) { hi[pk] = shi; changed = 1 }
			for (j = 1; j <= n; j++) {
				c = fkid[fam, j]
				h = hi[pk] - (slo - lo[c])
				if (h < hi[c]) { hi[c] = h; changed = 1 }
				if (!(fam in fcut)) {
					l = lo[pk] - (shi - hi[c])
					if (l > lo[c]) { lo[c] = l; changed = 1 }
				}
			}
		}
		if (!changed) break
	}
	bad = 0
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		split(k, part, SUBSEP)
		what = part[1] " " part[2] " [" part[3] "]"
		if (lo[k] > hi[k]) {
			if (pub[k]) { printf "CONTRADICTION %s: published figures cannot all hold (%d > %d)\n", what, lo[k], hi[k]; bad++ }
		} else if ((k in star) && lo[k] == hi[k] && lo[k] != 0) {
			# (a "*0" found to be 0 gives nothing away: the zero was
			# hidden only so that the "*" beside it could be 0 too)
			printf "LEAK %s: shown as * but must be %d\n", what, lo[k]
			bad++
		}
	}
	printf "sdc_check: %d published figures, %d cells, %d total-and-parts sets, %d finding(s)\n", lines, nk, nf, bad > "/dev/stderr"
	exit bad ? 1 : 0
}
