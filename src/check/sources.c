/* Checks of the loaded source tables, before any model runs: row counts,
 * rejected rows, freshness against the census, and codes the seeds do not
 * map. Each table's declaration (contract/sources.c) says which of them apply
 * to it and to which columns. Results name the source table as their
 * model. */
#include "check/check.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <string.h>

#define STALE_DAYS 35 /* older than about a month before census */

static test_result *add(test_report *rep, const char *table, const char *name, const char *column,
			test_severity sev, size_t rows)
{
	test_result *r = test_report_add(rep);
	r->model = table;
	r->name = xstrdup(name);
	r->column = column;
	r->severity = sev;
	r->rows = rows;
	r->source_check = 1;
	return r;
}

static test_status bad_status(test_severity sev)
{
	return sev == SEV_WARN ? TS_WARN : TS_FAIL;
}

static void row_count(const sources *src, int s, test_report *rep)
{
	const src_table *d = &source_tables[s];
	const mm_table *t = src->t[s];
	size_t rows = t ? t->nrows : 0;
	test_result *r = add(rep, d->name, "row_count", NULL, d->required_file ? SEV_ERROR : SEV_WARN, rows);
	if (!src->st[s].present) {
		/* A required file that is absent stopped the load already. */
		test_result_message(r, "absent (optional)");
	} else if (rows == 0) {
		r->failures = 1;
		r->status = bad_status(r->severity);
		test_result_message(r, "no rows in %s", d->file);
	} else {
		test_result_message(r, "%zu rows", rows);
	}
}

static void rejects(const sources *src, int s, test_report *rep)
{
	const load_stats *st = &src->st[s];
	test_result *r = add(rep, source_tables[s].name, "rejects", NULL, SEV_WARN, st->rows + st->nrejects);
	r->failures = st->nrejects;
	if (!st->nrejects)
		return;
	r->status = TS_WARN;
	char aside[96] = "";
	if (st->set_aside)
		snprintf(aside, sizeof aside, " (%zu of them set aside because a row they name was rejected)",
			 st->set_aside);
	if (st->nkept) {
		const reject *j = &st->rejects[0];
		test_result_message(r, "%zu rows rejected%s; first: line %ld%s%s: %s", st->nrejects, aside, j->line,
				    j->column ? ", " : "", j->column ? j->column : "", j->reason);
	} else {
		test_result_message(r, "%zu rows rejected%s", st->nrejects, aside);
	}
}

static void freshness(const run_ctx *ctx, int s, const char *column, test_report *rep)
{
	const mm_table *t = ctx->src->t[s];
	int c = t ? tbl_col(t, column) : -1;
	if (c < 0 || !t->nrows || ctx->census == DATE_NULL)
		return;
	char name[64];
	snprintf(name, sizeof name, "freshness(%s)", column);
	test_result *r = add(rep, source_tables[s].name, name, t->cols[c].name, SEV_WARN, t->nrows);
	int32_t latest = DATE_NULL;
	for (size_t i = 0; i < t->nrows; i++) {
		if (tbl_isnull(t, c, i))
			continue;
		int32_t d = t->cols[c].type == T_TS ? ts_day(tbl_ts(t, c, i)) : tbl_date(t, c, i);
		if (d > latest)
			latest = d;
	}
	if (latest == DATE_NULL) {
		r->failures = 1;
		r->status = TS_WARN;
		test_result_message(r, "no %s dates", column);
		return;
	}
	char d[16];
	date_fmt(latest, d);
	long days = (long)ctx->census - latest;
	if (days > STALE_DAYS) {
		r->failures = 1;
		r->status = TS_WARN;
	}
	test_result_message(r, "latest %s, %ld days %s census", d, days < 0 ? -days : days, days < 0 ? "after" : "before");
}

/* Rows whose non-empty code in column is not in seed.seed_col. */
static void mapped(const sources *src, int s, const char *column, int seed, const char *seed_col,
		   test_report *rep)
{
	const mm_table *t = src->t[s], *st = src->t[seed];
	int c = t ? tbl_col(t, column) : -1, sc = st ? tbl_col(st, seed_col) : -1;
	if (c < 0 || sc < 0)
		return;
	char name[160];
	snprintf(name, sizeof name, "mapped(%s -> %s.%s)", column, source_tables[seed].name, seed_col);
	test_result *r = add(rep, source_tables[s].name, name, t->cols[c].name, SEV_WARN, t->nrows);
	value_set vs;
	value_set_build(&vs, st, sc, t->cols[c].type);
	uint8_t *seen = t->cols[c].type == T_STR ? xcalloc(t->sp->n + 1, 1) : NULL;
	size_t codes = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		if (tbl_isnull(t, c, i) || value_set_has(&vs, t, c, i))
			continue;
		test_result_fail_row(r, i);
		if (seen && !seen[tbl_sid(t, c, i)]) {
			seen[tbl_sid(t, c, i)] = 1;
			codes++;
		}
	}
	value_set_free(&vs);
	free(seen);
	if (!r->failures)
		return;
	char ex[64];
	r->status = TS_WARN;
	test_result_message(r, "%zu row%s with %zu code%s not in %s, e.g. '%s'", r->failures, r->failures == 1 ? "" : "s", codes, codes == 1 ? "" : "s", source_tables[seed].name,
	    tbl_fmt(t, c, r->failing_rows[0], ex, sizeof ex));
}

/* Rows whose key an earlier row gave with another name (src_table.one_name):
 * which name is the site's? Before, the last one silently won and renamed
 * the site on every page. The same row twice is harmless and passes. */
static void one_name(const sources *src, int s, test_report *rep)
{
	const src_table *d = &source_tables[s];
	const mm_table *t = src->t[s];
	int c = t && d->key ? tbl_col(t, d->key) : -1, nc = t && d->one_name ? tbl_col(t, d->one_name) : -1;
	if (c < 0 || nc < 0 || t->cols[c].type != T_STR || t->cols[nc].type != T_STR)
		return;
	char name[160];
	snprintf(name, sizeof name, "one_name(%s -> %s)", d->key, d->one_name);
	test_result *r = add(rep, d->name, name, t->cols[c].name, SEV_ERROR, t->nrows);
	uint32_t *first = xcalloc(t->sp->n + 1, sizeof *first); /* Id -> its first row + 1 */
	for (size_t i = 0; i < t->nrows; i++) {
		uint32_t id = tbl_sid(t, c, i);
		if (!id)
			continue;
		if (!first[id])
			first[id] = (uint32_t)i + 1;
		else if (tbl_sid(t, nc, i) != tbl_sid(t, nc, first[id] - 1))
			test_result_fail_row(r, i);
	}
	if (r->failures) {
		size_t i = r->failing_rows[0], j = first[tbl_sid(t, c, i)] - 1;
		char a[64], b[64], id[64];
		r->status = TS_FAIL;
		test_result_message(r, "%zu row%s give%s an %s already given with another name, e.g. '%s': '%s' and '%s'",
				    r->failures, r->failures == 1 ? "" : "s", r->failures == 1 ? "s" : "", d->key,
				    tbl_fmt(t, c, i, id, sizeof id), tbl_fmt(t, nc, j, a, sizeof a),
				    tbl_fmt(t, nc, i, b, sizeof b));
	}
	free(first);
}

/* How many rows of table s have a code (column) that the seed knows: plain
 * Synthea derives its pathways from the procedures the
 * elective_procedures seed knows, so none at all means no waiting list. */
static void elective(const run_ctx *ctx, int s, const char *column, int seed, const char *seed_col,
		     test_report *rep)
{
	const mm_table *t = ctx->src->t[s], *st = ctx->src->t[seed];
	int c = t ? tbl_col(t, column) : -1, sc = st ? tbl_col(st, seed_col) : -1;
	if (c < 0 || sc < 0 || !t->nrows)
		return;
	char name[160];
	snprintf(name, sizeof name, "elective(%s -> %s.%s)", column, source_tables[seed].name, seed_col);
	test_result *r = add(rep, source_tables[s].name, name, t->cols[c].name, SEV_WARN, t->nrows);
	value_set vs;
	value_set_build(&vs, st, sc, t->cols[c].type);
	size_t n = 0;
	for (size_t i = 0; i < t->nrows; i++)
		n += !tbl_isnull(t, c, i) && value_set_has(&vs, t, c, i);
	value_set_free(&vs);
	if (n == 0 && ctx->plain_synthea) {
		r->failures = 1;
		r->status = TS_WARN;
		test_result_message(r, "no procedure is elective, so no pathway can be derived");
		return;
	}
	test_result_message(r, "%zu of %zu %s (%.1f%%) are elective", n, t->nrows, source_tables[s].name,
			    100.0 * (double)n / (double)t->nrows);
}

/* The code checks of table s's lookups, in declaration order. */
static void code_checks(const run_ctx *ctx, int s, test_report *rep)
{
	const src_table *d = &source_tables[s];
	for (int k = 0; k < d->nfks; k++) {
		const src_fk *fk = &d->fks[k];
		const char *key = source_tables[fk->parent].key;
		if (fk->flags & FK_CHECK_MAPPED)
			mapped(ctx->src, s, fk->column, fk->parent, key, rep);
		if (fk->flags & FK_CHECK_ELECTIVE)
			elective(ctx, s, fk->column, fk->parent, key, rep);
	}
}

void check_sources(run_ctx *ctx, test_report *rep)
{
	const sources *src = ctx->src;
	for (int s = 0; s < SRC_COUNT; s++) {
		row_count(src, s, rep);
		if (!src->st[s].present)
			continue;
		rejects(src, s, rep);
		const src_table *d = &source_tables[s];
		if (d->one_name)
			one_name(src, s, rep);
		if (d->fresh)
			freshness(ctx, s, d->fresh, rep);
		code_checks(ctx, s, rep);
	}
}
