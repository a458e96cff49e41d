#include "render/runtables.h"
#include "load/schema.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <string.h>

char *run_redact(const char *msg)
{
	if (!msg)
		return xstrdup("");
	const char *eg = strstr(msg, ", e.g.");
	size_t n = eg ? (size_t)(eg - msg) : strlen(msg);
	buf b = {0};
	buf_puts(&b, "");
	int inq = 0;
	for (size_t i = 0; i < n; i++) {
		if (msg[i] == '\'') {
			if (!inq)
				buf_puts(&b, "'\xe2\x80\xa6'"); /* '…' */
			inq = !inq;
		} else if (!inq)
			buf_putc(&b, msg[i]);
	}
	return b.s;
}

/* Latest date of a source table: the maximum over its date and timestamp
 * columns other than birth and death dates. */
static int32_t latest_date(const mm_table *t)
{
	int32_t best = I32_NULL;
	for (int c = 0; t && c < t->ncols; c++) {
		mm_type ty = t->cols[c].type;
		if ((ty != T_DATE && ty != T_TS) || strstr(t->cols[c].name, "BIRTH") || strstr(t->cols[c].name, "DEATH"))
			continue;
		for (size_t r = 0; r < t->nrows; r++) {
			if (tbl_isnull(t, c, r))
				continue;
			int32_t d = ty == T_TS ? ts_day(tbl_ts(t, c, r)) : tbl_date(t, c, r);
			if (best == I32_NULL || d > best)
				best = d;
		}
	}
	return best;
}

void run_tables_build(run_tables *rt, run_ctx *ctx, const test_report *rep, int clinical)
{
	strpool *sp = ctx->sp;
	mm_table *t = rt->sources = tbl_new("run_sources", sp);
	int c_tab = tbl_add_col(t, "table", T_STR), c_file = tbl_add_col(t, "file", T_STR),
	    c_kind = tbl_add_col(t, "kind", T_STR), c_pres = tbl_add_col(t, "present", T_BOOL),
	    c_req = tbl_add_col(t, "required", T_BOOL), c_rows = tbl_add_col(t, "rows", T_INT),
	    c_rej = tbl_add_col(t, "rejects", T_INT), c_late = tbl_add_col(t, "latest_date", T_DATE),
	    c_age = tbl_add_col(t, "days_before_census", T_INT), c_desc = tbl_add_col(t, "description", T_STR),
	    c_sha = tbl_add_col(t, "sha256", T_STR);
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		const load_stats *st = ctx->src ? &ctx->src->st[i] : NULL;
		size_t r = tbl_add_row(t);
		tbl_set_str(t, c_tab, r, d->name);
		tbl_set_str(t, c_file, r, d->file);
		tbl_set_str(t, c_kind, r, d->seed ? "seed" : d->required_file ? "required" : "optional");
		tbl_set_bool(t, c_pres, r, st && st->present);
		tbl_set_bool(t, c_req, r, d->required_file);
		tbl_set_int(t, c_rows, r, st ? (int64_t)st->rows : 0);
		tbl_set_int(t, c_rej, r, st ? (int64_t)st->nrejects : 0);
		int32_t late = d->seed || !ctx->src ? I32_NULL : latest_date(ctx->src->t[i]);
		tbl_set_date(t, c_late, r, late);
		if (late != I32_NULL)
			tbl_set_int(t, c_age, r, (int64_t)ctx->census - late);
		tbl_set_str(t, c_desc, r, d->description);
		/* The SHA-256 of the file read, for the provenance of the packs. */
		char hash[65] = "";
		if (st && st->present && st->path)
			sha256_file(st->path, hash);
		tbl_set_str(t, c_sha, r, hash);
	}

	t = rt->rejects = tbl_new("run_rejects", sp);
	int r_tab = tbl_add_col(t, "table", T_STR), r_line = tbl_add_col(t, "line", T_INT),
	    r_field = tbl_add_col(t, "field", T_INT), r_col = tbl_add_col(t, "column", T_STR),
	    r_reason = tbl_add_col(t, "reason", T_STR);
	for (int i = 0; ctx->src && i < SRC_COUNT; i++) {
		const load_stats *st = &ctx->src->st[i];
		for (size_t k = 0; k < st->nkept; k++) {
			size_t r = tbl_add_row(t);
			tbl_set_str(t, r_tab, r, source_tables[i].name);
			tbl_set_int(t, r_line, r, st->rejects[k].line);
			tbl_set_int(t, r_field, r, st->rejects[k].col);
			tbl_set_str(t, r_col, r, st->rejects[k].column ? st->rejects[k].column : "");
			char *why = clinical ? xstrdup(st->rejects[k].reason) : run_redact(st->rejects[k].reason);
			tbl_set_str(t, r_reason, r, why);
			free(why);
		}
	}

	t = rt->tests = tbl_new("run_tests", sp);
	int t_model = tbl_add_col(t, "model", T_STR), t_test = tbl_add_col(t, "test", T_STR),
	    t_col = tbl_add_col(t, "column", T_STR), t_sev = tbl_add_col(t, "severity", T_STR),
	    t_stat = tbl_add_col(t, "status", T_STR), t_rows = tbl_add_col(t, "rows", T_INT),
	    t_fail = tbl_add_col(t, "failures", T_INT), t_msg = tbl_add_col(t, "message", T_STR),
	    t_src = tbl_add_col(t, "source_check", T_BOOL);
	static const char *const sev[] = {"error", "warn"}, *const stat[] = {"pass", "warn", "fail"};
	for (size_t i = 0; rep && i < rep->n; i++) {
		const test_result *x = &rep->v[i];
		size_t r = tbl_add_row(t);
		tbl_set_str(t, t_model, r, x->model);
		tbl_set_str(t, t_test, r, x->name);
		tbl_set_str(t, t_col, r, x->column ? x->column : "");
		tbl_set_str(t, t_sev, r, sev[x->severity]);
		tbl_set_str(t, t_stat, r, stat[x->status]);
		tbl_set_int(t, t_rows, r, (int64_t)x->rows);
		tbl_set_int(t, t_fail, r, (int64_t)x->failures);
		char *msg = clinical ? xstrdup(x->message ? x->message : "") : run_redact(x->message);
		tbl_set_str(t, t_msg, r, msg);
		free(msg);
		tbl_set_bool(t, t_src, r, x->source_check);
	}

	t = rt->models = tbl_new("run_models", sp);
	int m_name = tbl_add_col(t, "model", T_STR), m_layer = tbl_add_col(t, "layer", T_STR),
	    m_desc = tbl_add_col(t, "description", T_STR), m_rows = tbl_add_col(t, "rows", T_INT),
	    m_cols = tbl_add_col(t, "columns", T_INT);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		size_t r = tbl_add_row(t);
		tbl_set_str(t, m_name, r, m->name);
		tbl_set_str(t, m_layer, r, layer_name(m->layer));
		tbl_set_str(t, m_desc, r, m->description);
		if (ctx->tables[i])
			tbl_set_int(t, m_rows, r, (int64_t)ctx->tables[i]->nrows);
		tbl_set_int(t, m_cols, r, m->ncols);
	}
}

void run_tables_add(run_tables *rt, tpl_catalog *cat)
{
	tpl_catalog_add(cat, "run_sources", "Input files of this run: rows loaded, rows rejected, latest date",
			rt->sources, NULL);
	tpl_catalog_add(cat, "run_rejects", "Rejected input rows (the first 1,000 of each file) and why", rt->rejects,
			NULL);
	tpl_catalog_add(cat, "run_tests", "Data-test results of this run", rt->tests, NULL);
	tpl_catalog_add(cat, "run_models", "Models of the registry with their row counts", rt->models, NULL);
}

void run_tables_free(run_tables *rt)
{
	tbl_free(rt->sources);
	tbl_free(rt->rejects);
	tbl_free(rt->tests);
	tbl_free(rt->models);
}
