/* fct_trust_peers: each Trust against the other Trusts of its integrated
 * care system and against every Trust in the data, on the headline
 * measures of the waiting list: rank (with ties), the median of the peers
 * and the distance from it, as numbers and in words. One row per Trust and
 * measure. The figures are those the board pages publish: rates from the
 * counts rounded to the nearest 5 (docs/disclosure.md), the median wait by
 * nearest rank in weeks; a Trust with 1 to 7 open pathways, or none, is
 * not ranked. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/peers.h"
#include "models/rules/rules_text.h"
#include "registry/disclosure.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"dim_organisation", "fct_overdue_cases", NULL};

#define ALL_FROM "fct_overdue_cases.trust_code, fct_overdue_cases.rtt_breach, fct_overdue_cases.over_52_weeks, " \
		 "fct_overdue_cases.is_overdue, fct_overdue_cases.wait_days"
static const model_col cols[] = {
	{"trust_code", T_STR, "Trust compared", "not_null ref(dim_organisation.trust_code)", "dim_organisation.trust_code",
	 CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "dim_organisation.trust_name", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust: its peers", "", "dim_organisation.ics_code", CR_GEO},
	{"ics_name", T_STR, "Integrated care system name", "", "dim_organisation.ics_name", CR_GEO},
	{"measure", T_STR, "The measure compared",
	 "not_null accepted(pct_within_18_weeks|pct_over_52_weeks|overdue_per_100|median_wait_weeks)",
	 "dim_organisation.trust_code", CR_CODE},
	{"measure_order", T_INT, "Order of the measures on the pages: 1 .. 4", "not_null range(1..4)", "dim_organisation.trust_code",
	 CR_EXACT},
	{"measure_label", T_STR, "The measure in words (the RTT standard from the rules file)", "not_null", "dim_organisation.trust_code, rules",
	 CR_LABEL},
	{"better", T_STR, "Which direction is better: higher (within the standard) or lower (the others)",
	 "not_null accepted(higher|lower)", "dim_organisation.trust_code", CR_CODE},
	{"open_pathways", T_INT, "The Trust's open pathways at the census (exact; the value uses them rounded)",
	 "not_null range(0..)", "fct_overdue_cases.trust_code", CR_PERSONS},
	{"value", T_NUM,
	 "The Trust's figure, one decimal: the share within the RTT standard or over 52 weeks (%), overdue "
	 "pathways per 100 open, from counts rounded to the nearest 5; the median wait in weeks (nearest rank of "
	 "wait_days, / 7); null when the Trust has fewer than 8 open pathways",
	 "", ALL_FROM, CR_MEASURE},
	{"value_text", T_STR, "The figure with its unit: \"63.5%\", \"12.0 per 100\", \"14.1 weeks\"; "
	 "\"not published\" when null", "not_null", ALL_FROM, CR_LABEL},
	{"ics_trusts", T_INT, "Trusts of the ICS with a figure: the N of \"rank of N\"", "not_null range(0..)", ALL_FROM,
	 CR_EXACT},
	{"ics_rank", T_INT, "Competition rank in the ICS (1 = best, equal figures share a rank and the next is skipped); "
	 "null when not ranked", "range(1..)", ALL_FROM, CR_EXACT},
	{"ics_tied", T_INT, "Trusts of the ICS sharing this rank (1 = no tie)", "range(1..)", ALL_FROM, CR_EXACT},
	{"ics_median", T_NUM, "Median of the ICS's Trusts' figures (the mean of the middle two for an even count)", "",
	 ALL_FROM, CR_MEASURE},
	{"ics_difference", T_NUM, "value - ics_median, one decimal (points, per 100 or weeks)", "", ALL_FROM,
	 CR_MEASURE},
	{"ics_position", T_STR, "The rank in words: \"3rd of 4 in X\", \"joint 2nd of 4 in X\", \"the only Trust in X\"",
	 "not_null", ALL_FROM, CR_GEO},
	{"ics_rank_text", T_STR, "The rank without the system's name, for the ICS page: \"joint 2nd of 4\", \"the only "
	 "Trust\"", "not_null", ALL_FROM, CR_GEO},
	{"ics_distance", T_STR, "The distance from the ICS median in words, with whether it is better or worse",
	 "not_null", ALL_FROM, CR_GEO},
	{"national_trusts", T_INT, "Trusts in the data with a figure", "not_null range(0..)", ALL_FROM, CR_EXACT},
	{"national_rank", T_INT, "Competition rank among all Trusts (1 = best); null when not ranked", "range(1..)",
	 ALL_FROM, CR_EXACT},
	{"national_tied", T_INT, "Trusts sharing this rank nationally (1 = no tie)", "range(1..)", ALL_FROM, CR_EXACT},
	{"national_median", T_NUM, "Median of all Trusts' figures", "", ALL_FROM, CR_MEASURE},
	{"national_difference", T_NUM, "value - national_median, one decimal", "", ALL_FROM, CR_MEASURE},
	{"national_position", T_STR, "The national rank in words: \"5th of 13 Trusts\"", "not_null", ALL_FROM,
	 CR_LABEL},
	{"national_distance", T_STR, "The distance from the national median in words", "not_null", ALL_FROM, CR_LABEL},
};

/* Column positions, in the order of cols[]. */
enum {
	C_TRUST_CODE, C_TRUST_NAME, C_ICS_CODE, C_ICS_NAME, C_MEASURE, C_MEASURE_ORDER, C_MEASURE_LABEL,
	C_BETTER, C_OPEN_PATHWAYS, C_VALUE, C_VALUE_TEXT, C_ICS_TRUSTS, C_ICS_RANK, C_ICS_TIED,
	C_ICS_MEDIAN, C_ICS_DIFFERENCE, C_ICS_POSITION, C_ICS_RANK_TEXT, C_ICS_DISTANCE, C_NATIONAL_TRUSTS,
	C_NATIONAL_RANK, C_NATIONAL_TIED, C_NATIONAL_MEDIAN, C_NATIONAL_DIFFERENCE, C_NATIONAL_POSITION,
	C_NATIONAL_DISTANCE,
};

static const char *const tests[] = {
	"expr(ics_rank <= ics_trusts)",
	"expr(national_rank <= national_trusts)",
	"expr(ics_trusts <= national_trusts)",
	NULL,
};

enum { M_WITHIN, M_OVER52, M_OVERDUE, M_MEDIAN, NMEAS };
static const char *const mkey[NMEAS] = {"pct_within_18_weeks", "pct_over_52_weeks", "overdue_per_100",
					"median_wait_weeks"};
static const int mhigher[NMEAS] = {1, 0, 0, 0};
static const peer_unit munit[NMEAS] = {PEER_PCT, PEER_PCT, PEER_PER_100, PEER_WEEKS};

typedef struct trust {
	const char *code;
	uint32_t code_id, name_id, ics_id, iname_id;
	int64_t open, within, over52, overdue;
	int64_t *waits;
	size_t nwaits, cap;
	double v[NMEAS];
	const char *why[NMEAS]; /* why a figure is null */
} trust;

static int cmp_trust(const void *a, const void *b)
{
	return strcmp(((const trust *)a)->code, ((const trust *)b)->code);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* 100 num / den from the counts as published (rounded to 5); NAN when
 * either is withheld (1 to 7) or the list is empty. */
static double published_rate(int64_t num, int64_t den)
{
	double p;
	if (sdc_pct(num, den, &p))
		return NAN;
	return isnan(p) ? NAN : round(p * 10.0) / 10.0;
}

static void figures(trust *t)
{
	for (int m = 0; m < NMEAS; m++) {
		t->v[m] = NAN;
		t->why[m] = !t->open ? "not ranked: no open pathways" : "not ranked: fewer than 8 open pathways";
	}
	if (t->open == 0 || sdc_small(t->open))
		return; /* 0: nothing to rank; 1 to 7: not published */
	int64_t num[NMEAS] = {t->within, t->over52, t->overdue, 0};
	for (int m = M_WITHIN; m <= M_OVERDUE; m++) {
		t->v[m] = published_rate(num[m], t->open);
		if (isnan(t->v[m]))
			t->why[m] = m == M_WITHIN ? "not ranked: 1 to 7 pathways within the standard, withheld"
				  : m == M_OVER52 ? "not ranked: 1 to 7 pathways over 52 weeks, withheld"
						  : "not ranked: 1 to 7 overdue pathways, withheld";
	}
	qsort(t->waits, t->nwaits, sizeof *t->waits, cmp_i64);
	t->v[M_MEDIAN] = round((double)nearest_rank(t->waits, t->nwaits, 50) / 7.0 * 10.0) / 10.0;
}

static void value_text(double v, peer_unit u, int64_t open, char *out, size_t n)
{
	if (isnan(v))
		snprintf(out, n, "%s", open >= 8 ? "* (1 to 7)" : open ? "not published" : "no pathways");
	else if (u == PEER_PCT)
		snprintf(out, n, "%.1f%%", v);
	else if (u == PEER_PER_100)
		snprintf(out, n, "%.1f per 100", v);
	else
		snprintf(out, n, "%.1f weeks", v);
}

static double round1(double x)
{
	return round(x * 10.0) / 10.0;
}

/* A Trust's rank and ties among its peers, their median and its distance
 * from it (both to one decimal, as published). */
static void put_numbers(mm_table *out, size_t o, int c_rank, int c_tied, int c_median, int c_difference, int rank,
			int tied, double v, double median)
{
	tbl_set_int(out, c_rank, o, rank);
	tbl_set_int(out, c_tied, o, tied);
	tbl_set_num(out, c_median, o, round1(median));
	tbl_set_num(out, c_difference, o, round1(v - round1(median)));
}

/* "joint 3rd of 4<of_what>", or only when the Trust is ranked alone. */
static void rank_words(int rank, int tied, size_t ranked, const char *of_what, const char *only, char *buf, size_t n)
{
	if (ranked == 1) {
		snprintf(buf, n, "%s", only);
		return;
	}
	char ord[16];
	peer_ordinal(rank, ord, sizeof ord);
	snprintf(buf, n, "%s%s of %zu%s", tied > 1 ? "joint " : "", ord, ranked, of_what);
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *org = ctx_table(ctx, "dim_organisation");
	mm_table *fc = ctx_table(ctx, "fct_overdue_cases");
	int o_trust = col(org, "trust_code"), o_tname = col(org, "trust_name");
	int o_ics = col(org, "ics_code"), o_iname = col(org, "ics_name");
	int f_trust = col(fc, "trust_code"), f_breach = col(fc, "rtt_breach"), f_52 = col(fc, "over_52_weeks");
	int f_overdue = col(fc, "is_overdue"), f_wait = col(fc, "wait_days");

	/* The Trusts: every trust code of dim_organisation, by code. */
	trust *ts = xcalloc(org->nrows + 1, sizeof *ts);
	size_t nt = 0;
	hmap seen;
	hmap_init(&seen, org->nrows + 1);
	for (size_t r = 0; r < org->nrows; r++) {
		uint32_t id = tbl_sid(org, o_trust, r);
		if (!id || hmap_get(&seen, id) != HMAP_NONE)
			continue;
		hmap_put(&seen, id, (uint32_t)nt);
		ts[nt++] = (trust){.code = tbl_str(org, o_trust, r), .code_id = id, .name_id = tbl_sid(org, o_tname, r),
				   .ics_id = tbl_sid(org, o_ics, r), .iname_id = tbl_sid(org, o_iname, r)};
	}
	hmap_free(&seen);
	qsort(ts, nt, sizeof *ts, cmp_trust);
	hmap pos;
	hmap_init(&pos, nt + 1);
	for (size_t i = 0; i < nt; i++)
		hmap_put(&pos, ts[i].code_id, (uint32_t)i);

	for (size_t r = 0; r < fc->nrows; r++) {
		uint32_t i = hmap_get(&pos, tbl_sid(fc, f_trust, r));
		if (i == HMAP_NONE)
			continue; /* a site without a Trust: fct_overdue_cases warns */
		trust *t = &ts[i];
		t->open++;
		t->within += !tbl_bool(fc, f_breach, r);
		t->over52 += tbl_bool(fc, f_52, r);
		t->overdue += tbl_bool(fc, f_overdue, r);
		if (t->nwaits == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			t->waits = xrealloc(t->waits, t->cap * sizeof *t->waits);
		}
		t->waits[t->nwaits++] = tbl_int(fc, f_wait, r);
	}
	hmap_free(&pos);
	for (size_t i = 0; i < nt; i++)
		figures(&ts[i]);

	char rtt[64], label[128];
	rules_duration_words(ctx->rtt.rtt_days, rtt, sizeof rtt);
	double *v = xmalloc((nt + 1) * sizeof *v), *iv = xmalloc((nt + 1) * sizeof *iv);
	int *nrank = xmalloc((nt + 1) * sizeof *nrank), *ntied = xmalloc((nt + 1) * sizeof *ntied);
	int *irank = xmalloc((nt + 1) * sizeof *irank), *itied = xmalloc((nt + 1) * sizeof *itied);

	int c[NCOLS(cols)];
	for (int k = 0; k < NCOLS(cols); k++)
		c[k] = col(out, cols[k].name);
	tbl_reserve(out, nt * NMEAS);
	/* Rows by Trust, then measure; the ranks are filled in per measure. */
	for (size_t i = 0; i < nt; i++)
		for (int m = 0; m < NMEAS; m++)
			tbl_add_row(out);

	for (int m = 0; m < NMEAS; m++) {
		for (size_t i = 0; i < nt; i++)
			v[i] = ts[i].v[m];
		size_t nranked = peer_rank(v, nt, mhigher[m], nrank, ntied);
		double nmed = peer_median(v, nt);
		if (m == M_WITHIN)
			snprintf(label, sizeof label, "Within %s", rtt);
		else if (m == M_OVER52)
			snprintf(label, sizeof label, "Over 52 weeks");
		else if (m == M_OVERDUE)
			snprintf(label, sizeof label, "Overdue per 100 waiting");
		else
			snprintf(label, sizeof label, "Median wait");
		for (size_t i = 0; i < nt; i++) {
			/* The Trust's ICS peers (itself included), in code order. */
			size_t nm = 0, self = 0;
			for (size_t j = 0; j < nt; j++)
				if (ts[j].ics_id == ts[i].ics_id) {
					if (j == i)
						self = nm;
					iv[nm++] = ts[j].v[m];
				}
			size_t iranked = peer_rank(iv, nm, mhigher[m], irank, itied);
			double imed = peer_median(iv, nm);
			size_t o = i * NMEAS + (size_t)m;
			char buf[512], area[320];
			const trust *t = &ts[i];
			tbl_set_sid(out, c[C_TRUST_CODE], o, t->code_id);
			tbl_set_sid(out, c[C_TRUST_NAME], o, t->name_id);
			tbl_set_sid(out, c[C_ICS_CODE], o, t->ics_id);
			tbl_set_sid(out, c[C_ICS_NAME], o, t->iname_id);
			tbl_set_str(out, c[C_MEASURE], o, mkey[m]);
			tbl_set_int(out, c[C_MEASURE_ORDER], o, m + 1);
			tbl_set_str(out, c[C_MEASURE_LABEL], o, label);
			tbl_set_str(out, c[C_BETTER], o, mhigher[m] ? "higher" : "lower");
			tbl_set_int(out, c[C_OPEN_PATHWAYS], o, t->open);
			value_text(t->v[m], munit[m], t->open, buf, sizeof buf);
			tbl_set_str(out, c[C_VALUE_TEXT], o, buf);
			tbl_set_int(out, c[C_ICS_TRUSTS], o, (int64_t)iranked);
			tbl_set_int(out, c[C_NATIONAL_TRUSTS], o, (int64_t)nranked);
			if (isnan(t->v[m])) {
				const char *why = t->why[m];
				tbl_set_str(out, c[C_ICS_POSITION], o, why);
				tbl_set_str(out, c[C_ICS_RANK_TEXT], o, why);
				tbl_set_str(out, c[C_ICS_DISTANCE], o, why);
				tbl_set_str(out, c[C_NATIONAL_POSITION], o, why);
				tbl_set_str(out, c[C_NATIONAL_DISTANCE], o, why);
				continue;
			}
			tbl_set_num(out, c[C_VALUE], o, t->v[m]);
			snprintf(area, sizeof area, "%s", t->ics_id ? sp_str(out->sp, t->ics_id) : "its ICS");
			put_numbers(out, o, c[C_ICS_RANK], c[C_ICS_TIED], c[C_ICS_MEDIAN], c[C_ICS_DIFFERENCE], irank[self],
				    itied[self], t->v[m], imed);
			const char *iname = t->iname_id ? sp_str(out->sp, t->iname_id) : area;
			peer_position(irank[self], itied[self], (int)iranked, iname, buf, sizeof buf);
			tbl_set_str(out, c[C_ICS_POSITION], o, buf);
			rank_words(irank[self], itied[self], iranked, "", "the only Trust", buf, sizeof buf);
			tbl_set_str(out, c[C_ICS_RANK_TEXT], o, buf);
			if (iranked == 1)
				snprintf(buf, sizeof buf, "no other Trust of the system to compare with");
			else
				peer_distance(t->v[m], imed, munit[m], mhigher[m], "ICS", buf, sizeof buf);
			tbl_set_str(out, c[C_ICS_DISTANCE], o, buf);
			put_numbers(out, o, c[C_NATIONAL_RANK], c[C_NATIONAL_TIED], c[C_NATIONAL_MEDIAN],
				    c[C_NATIONAL_DIFFERENCE], nrank[i], ntied[i], t->v[m], nmed);
			rank_words(nrank[i], ntied[i], nranked, " Trusts", "the only Trust in the data", buf, sizeof buf);
			tbl_set_str(out, c[C_NATIONAL_POSITION], o, buf);
			if (nranked == 1)
				snprintf(buf, sizeof buf, "no other Trust to compare with");
			else
				peer_distance(t->v[m], nmed, munit[m], mhigher[m], "national", buf, sizeof buf);
			tbl_set_str(out, c[C_NATIONAL_DISTANCE], o, buf);
		}
	}
	for (size_t i = 0; i < nt; i++)
		free(ts[i].waits);
	free(ts);
	free(v);
	free(iv);
	free(nrank);
	free(ntied);
	free(irank);
	free(itied);
	return 0;
}

const model_def model_fct_trust_peers = {
	.name = "fct_trust_peers",
	.layer = LAYER_MART,
	.description = "Each Trust against the other Trusts of its ICS and against all Trusts in the data on the "
		       "headline measures (within the RTT standard, over 52 weeks, overdue per 100 waiting, median "
		       "wait): the figure, its rank (1 = best, ties share a rank), the median of the peers and the "
		       "distance from it, in numbers and in words; one row per Trust and measure, ordered by Trust "
		       "code and measure",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
