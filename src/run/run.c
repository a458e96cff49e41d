/* Executing the registry in DAG order, with tests and dbt-build skipping. */
#include "run/run.h"
#include "run/release.h"
#include "models/rules/risk_rules.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* How far beyond the bulk of the data an activity date may lie and still
 * set the default census (see census_default). */
#define CENSUS_BULK_DAYS 366

static void table_for(run_ctx *ctx, int i)
{
	const model_def *m = model_at(i);
	mm_table *t = tbl_new(m->name, ctx->sp);
	for (int c = 0; c < m->ncols; c++)
		tbl_add_col(t, m->cols[c].name, m->cols[c].type);
	ctx->tables[i] = t;
}

static int depends_on_skipped(run_ctx *ctx, int i)
{
	for (const char *const *u = model_at(i)->upstream; u && *u; u++) {
		int j = model_index(*u);
		if (j >= 0 && ctx->skipped[j])
			return 1;
	}
	return 0;
}

int models_run(run_ctx *ctx, const int *sel, unsigned flags, test_report *rep)
{
	int n = model_total();
	int order[MM_MAX_MODELS], need[MM_MAX_MODELS] = {0};
	if (models_order(order))
		return EXIT_FAILED;
	/* What the selection needs: itself and everything upstream. */
	for (int k = n - 1; k >= 0; k--) {
		int i = order[k];
		if (!sel[i] && !need[i])
			continue;
		need[i] = 1;
		for (const char *const *u = model_at(i)->upstream; u && *u; u++) {
			int j = model_index(*u);
			if (j >= 0)
				need[j] = 1;
		}
	}
	int tests = (flags & RUN_TESTS) != 0;
	release_plan plan;
	release_plan_init(&plan, ctx, (flags & RUN_RELEASE_SOURCES ? RELEASE_SOURCES : 0u) |
					      (flags & RUN_RELEASE_MODELS ? RELEASE_MODELS : 0u),
			  need, sel, tests, rep);
	int failed = 0;
	for (int k = 0; k < n; k++) {
		int i = order[k];
		if (!need[i] || model_built(ctx, i))
			continue;
		const model_def *m = model_at(i);
		if ((flags & RUN_SKIP_ON_FAIL) && depends_on_skipped(ctx, i)) {
			ctx->skipped[i] = 1;
			progress("SKIP %s (an upstream model failed its tests)", m->name);
			continue;
		}
		table_for(ctx, i);
		release_mark_last(&plan, ctx, i, sel, tests);
		double t0 = now_seconds();
		ctx->building = m;
		int rc = m->build(ctx, ctx->tables[i]);
		ctx->building = NULL;
		memset(ctx->src_last_read, 0, sizeof ctx->src_last_read);
		ctx->seconds[i] = now_seconds() - t0;
		if (rc)
			return rc;
		progress("built %-26s %9zu rows  %7.3f s", m->name, ctx->tables[i]->nrows, ctx->seconds[i]);
		size_t first = rep ? rep->n : 0;
		if (tests && sel[i]) {
			int errs = check_model(ctx, i, rep);
			if (errs) {
				failed = 1;
				if (flags & RUN_SKIP_ON_FAIL)
					ctx->skipped[i] = 1;
			}
		}
		release_after(&plan, ctx, i, sel, tests, rep, first);
	}
	return failed ? EXIT_FAILED : 0;
}

/* The activity dates of the census: encounter starts, referrals and
 * clock stops, counted per day. A count per day rather than a sorted
 * list: the order statistics below need only the counts, and at national
 * scale the list would be tens of millions of dates to sort. */
typedef struct day_counts {
	int32_t lo, hi; /* the earliest and latest date */
	size_t n;       /* dates counted */
	size_t *at;     /* at[d - lo]: dates on day d */
} day_counts;

static int32_t activity_day(const mm_table *t, int c, size_t r)
{
	return t->cols[c].type == T_TS ? ts_day(tbl_ts(t, c, r)) : tbl_date(t, c, r);
}

/* Visits the dates of one column: the first pass finds the range, the
 * second counts. */
static void activity(const mm_table *t, const char *name, day_counts *h, int counting)
{
	int c = t ? tbl_col(t, name) : -1;
	if (c < 0)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		if (tbl_isnull(t, c, r))
			continue;
		int32_t d = activity_day(t, c, r);
		if (counting) {
			h->at[d - h->lo]++;
		} else {
			h->lo = h->n == 0 || d < h->lo ? d : h->lo;
			h->hi = h->n == 0 || d > h->hi ? d : h->hi;
			h->n++;
		}
	}
}

static void activity_all(const sources *s, day_counts *h, int counting)
{
	activity(s->t[SRC_ENCOUNTERS], "START", h, counting);
	activity(s->t[SRC_WAITING_LIST], "REFERRAL_DATE", h, counting);
	activity(s->t[SRC_WAITING_LIST], "CLOCK_STOP_DATE", h, counting);
}

/* The k-th date in ascending order (0-based). */
static int32_t day_nth(const day_counts *h, size_t k)
{
	size_t seen = 0;
	for (int32_t d = h->lo; d < h->hi; d++) {
		seen += h->at[d - h->lo];
		if (seen > k)
			return d;
	}
	return h->hi;
}

int32_t census_default(const sources *s)
{
	day_counts h = {0};
	activity_all(s, &h, 0);
	if (h.n == 0)
		return DATE_NULL;
	h.at = xcalloc((size_t)((int64_t)h.hi - h.lo + 1), sizeof *h.at);
	activity_all(s, &h, 1);
	size_t n = h.n;
	/* The bulk of the data ends at its 99.9th percentile date, and at the
	 * third latest at most (small sets of 10 dates or more); a date more
	 * than a year after that is a typo or a placeholder, not the end of
	 * the data, and must not move the census. Decided from the data
	 * alone, so the same inputs give the same census on any day. */
	size_t above = n < 10 ? 0 : (n - 1) / 1000 + 2; /* too few dates to tell */
	int32_t bulk = day_nth(&h, (n - 1) - above);
	/* last: the latest date within a year of the bulk; beyond: the dates
	 * after that, from first_beyond to the latest. */
	int32_t last = bulk, first_beyond = 0;
	size_t beyond = 0;
	for (int32_t d = bulk; d <= h.hi; d++) {
		size_t k = h.at[d - h.lo];
		if (!k)
			continue;
		if (d <= bulk + CENSUS_BULK_DAYS) {
			last = d;
		} else {
			first_beyond = beyond ? first_beyond : d;
			beyond += k;
		}
	}
	if (beyond) {
		char b[16], l[16], f[16];
		date_fmt(bulk, b);
		date_fmt(first_beyond, l);
		date_fmt(h.hi, f);
		char span[96];
		if (beyond == 1)
			snprintf(span, sizeof span, "1 activity date, %s,", l);
		else
			snprintf(span, sizeof span, "%zu activity dates, %s to %s,", beyond, l, f);
		diag(DIAG_WARNING, NULL, 0, 0,
		     "%s more than %d days after %s (where the bulk of the encounter, referral and clock-stop dates "
		     "ends), left out of the default census; give --census to choose it",
		     span, CENSUS_BULK_DAYS, b);
	}
	free(h.at);
	/* The last month end the data covers: the latest activity's own month
	 * end if it falls on it, else the month end before. */
	return month_end(last) == last ? last : add_months_end(last, -1);
}

void run_ctx_free(run_ctx *ctx)
{
	for (int i = 0; i < MM_MAX_MODELS; i++)
		tbl_free(ctx->tables[i]);
	risk_rules_free(ctx->risk);
	memset(ctx->tables, 0, sizeof ctx->tables);
	ctx->risk = NULL;
}
