#include "query/runtables.h"
#include "contract/schema.h"
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

/* The columns of the run tables, declared like a model's so that
 * templates take their roles (and so their disclosure) from the
 * declaration, as for every model. Row counts of the run are counted like
 * any count of records on board pages. */
enum { c_tab, c_file, c_kind, c_pres, c_req, c_rows, c_rej, c_late, c_age, c_desc, c_sha };
static const model_col source_cols[] = {
	{"table", T_STR, "Source table", "", "", CR_CODE},
	{"file", T_STR, "File read", "", "", CR_CODE},
	{"kind", T_STR, "seed, required or optional", "", "", CR_CODE},
	{"present", T_BOOL, "Whether the file was found", "", "", CR_FLAG},
	{"required", T_BOOL, "Whether the file is required", "", "", CR_FLAG},
	{"rows", T_INT, "Rows loaded", "", "", CR_EVENTS},
	{"rejects", T_INT, "Rows rejected", "", "", CR_EVENTS},
	{"latest_date", T_DATE, "Latest date other than of birth or death", "", "", CR_DATE},
	{"days_before_census", T_INT, "Days from latest_date to the census", "", "", CR_DAYS},
	{"description", T_STR, "What the table holds", "", "", CR_LABEL},
	{"sha256", T_STR, "SHA-256 of the file read", "", "", CR_CODE},
};
enum { r_tab, r_line, r_field, r_col, r_reason };
static const model_col reject_cols[] = {
	{"table", T_STR, "Source table", "", "", CR_CODE},
	{"line", T_INT, "Line of the file", "", "", CR_EXACT},
	{"field", T_INT, "Field of the line", "", "", CR_EXACT},
	{"column", T_STR, "Column of the field", "", "", CR_CODE},
	{"reason", T_STR, "Why the row was rejected", "", "", CR_LABEL},
};
enum { t_model, t_test, t_col, t_sev, t_stat, t_rows, t_fail, t_msg, t_src };
static const model_col test_cols[] = {
	{"model", T_STR, "Model tested", "", "", CR_CODE},
	{"test", T_STR, "Test", "", "", CR_CODE},
	{"column", T_STR, "Column tested", "", "", CR_CODE},
	{"severity", T_STR, "error or warn", "", "", CR_CODE},
	{"status", T_STR, "pass, warn or fail", "", "", CR_CODE},
	{"rows", T_INT, "Rows tested", "", "", CR_EVENTS},
	{"failures", T_INT, "Rows failing", "", "", CR_EVENTS},
	{"message", T_STR, "What failed", "", "", CR_LABEL},
	{"source_check", T_BOOL, "Whether the test checks a source file", "", "", CR_FLAG},
};
enum { m_name, m_layer, m_desc, m_rows, m_cols };
static const model_col model_cols[] = {
	{"model", T_STR, "Model", "", "", CR_CODE},
	{"layer", T_STR, "Layer of the model", "", "", CR_CODE},
	{"description", T_STR, "What the model holds", "", "", CR_LABEL},
	{"rows", T_INT, "Rows built", "", "", CR_EVENTS},
	{"columns", T_INT, "Columns declared", "", "", CR_EXACT},
};

#define RUN_DEF(n, desc, cols) {n, LAYER_SOURCE, desc, NULL, cols, (int)(sizeof cols / sizeof *cols), NULL, NULL, 0}
const model_def run_table_defs[RUN_TABLES] = {
	RUN_DEF("run_sources", "Input files of this run: rows loaded, rows rejected, latest date", source_cols),
	RUN_DEF("run_rejects", "Rejected input rows (the first 1,000 of each file) and why", reject_cols),
	RUN_DEF("run_tests", "Data-test results of this run", test_cols),
	RUN_DEF("run_models", "Models of the registry with their row counts", model_cols),
};

/* An empty table with the declared columns of run table i. */
static mm_table *new_table(int i, strpool *sp)
{
	const model_def *d = &run_table_defs[i];
	mm_table *t = tbl_new(d->name, sp);
	for (int c = 0; c < d->ncols; c++)
		tbl_add_col(t, d->cols[c].name, d->cols[c].type);
	return t;
}

void run_tables_build(run_tables *rt, run_ctx *ctx, const test_report *rep, int clinical)
{
	strpool *sp = ctx->sp;
	mm_table *t = rt->sources = new_table(0, sp);
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
		/* Taken at load time: the table itself may be released by now. */
		int32_t late = d->seed || !st ? I32_NULL : st->latest;
		tbl_set_date(t, c_late, r, late);
		if (late != I32_NULL)
			tbl_set_int(t, c_age, r, (int64_t)ctx->census - late);
		tbl_set_str(t, c_desc, r, d->description);
		/* The SHA-256 of the file read, for the provenance of the packs. */
		char hash[65] = "";
		if (st && st->present && st->sha256[0])
			memcpy(hash, st->sha256, sizeof hash);
		else if (st && st->present && st->path)
			sha256_file(st->path, hash);
		tbl_set_str(t, c_sha, r, hash);
	}

	t = rt->rejects = new_table(1, sp);
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

	t = rt->tests = new_table(2, sp);
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

	t = rt->models = new_table(3, sp);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		size_t r = tbl_add_row(t);
		tbl_set_str(t, m_name, r, m->name);
		tbl_set_str(t, m_layer, r, layer_name(m->layer));
		tbl_set_str(t, m_desc, r, m->description);
		if (model_built(ctx, i))
			tbl_set_int(t, m_rows, r, (int64_t)model_rows(ctx, i));
		tbl_set_int(t, m_cols, r, m->ncols);
	}
}

void run_tables_add(run_tables *rt, tpl_catalog *cat)
{
	const mm_table *t[RUN_TABLES] = {rt->sources, rt->rejects, rt->tests, rt->models};
	for (int i = 0; i < RUN_TABLES; i++)
		tpl_catalog_add(cat, run_table_defs[i].name, run_table_defs[i].description, t[i], &run_table_defs[i]);
}

void run_tables_free(run_tables *rt)
{
	tbl_free(rt->sources);
	tbl_free(rt->rejects);
	tbl_free(rt->tests);
	tbl_free(rt->models);
}
