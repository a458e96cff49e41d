/* The block kinds of templates. Each kind is one row of `kinds` (at the
 * end of the file): its name (the first word of a fenced block's info
 * string, or the prefix of inline code), the attribute keys it accepts,
 * whether it reads a model, and its parse and validate functions. Adding
 * a kind is one row and its functions here (and its drawing in
 * out/html/html_blocks.c and out/pdf/pack_blocks.c); nothing else in the template code
 * asks which kind a block is. */
#include "template/tpl_impl.h"
#include "draw/chart.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kind_def;

/* What a kind's parse function reads. */
typedef struct blk_src {
	template *t;
	tpl_block *b;
	const struct kind_def *kd;
	tpl_attrs *a;     /* fenced: its attributes, the info string's first */
	const char *text; /* fenced: the body; inline: the code after the prefix */
	int line, col;    /* fenced: the block's position; inline: that of text */
} blk_src;

/* Whether validation looks up the block's model= before its own checks. */
enum blk_model { NO_MODEL, NEEDS_MODEL, MODEL_IF_GIVEN };

typedef struct kind_def {
	enum tpl_kind kind;
	const char *name;     /* fenced: "table"; inline: the prefix, "kpi:" */
	int is_inline;        /* inline code rather than a fenced block */
	enum blk_model model; /* NO_MODEL when left out */
	/* fenced: the accepted attribute keys, space separated and padded
	 * (they are listed in the message about any other key) */
	const char *keys;
	void (*parse)(blk_src *p);
	/* After the model (s; NULL when the kind reads none) and the
	 * placeholders of the title, caption, labels and empty text. */
	void (*check)(tpl_vctx *v, const tpl_block *b, const tpl_source *s);
	/* What kind= names; NULL: a chart kind. */
	void (*kind_attr)(blk_src *p, const tpl_attr *at);
} kind_def;

/* ---- Attributes of fenced blocks ---- */

static tpl_name name_of(const tpl_attr *at)
{
	return (tpl_name){xstrdup(at->val), at->line, at->vcol};
}

static void key_model(blk_src *p, const tpl_attr *at)
{
	p->b->q.model = name_of(at);
}

static void key_filter(blk_src *p, const tpl_attr *at)
{
	tpl_parse_filter(p->t, at->val, at->line, at->vcol, &p->b->q);
}

static void key_columns(blk_src *p, const tpl_attr *at)
{
	p->b->q.cols = tpl_split_names(at->val, at->line, at->vcol, &p->b->q.ncols);
}

static void key_group(blk_src *p, const tpl_attr *at)
{
	p->b->q.group = tpl_split_names(at->val, at->line, at->vcol, &p->b->q.ngroup);
}

static void key_measures(blk_src *p, const tpl_attr *at)
{
	tpl_parse_measures(p->t, at->val, at->line, at->vcol, &p->b->q);
}

/* A chart's y: a plain column name is its sum per x (one row per x: the
 * value); anything else is measures. */
static void key_y(blk_src *p, const tpl_attr *at)
{
	if (strcmp(at->val, "count") && tpl_is_ident(at->val, strlen(at->val))) {
		tpl_measure m = {.fn = FN_SUM, .text = xstrdup(at->val), .a = xstrdup(at->val), .line = at->line,
				 .col = at->vcol};
		tpl_add_measure(&p->b->q, &m);
	} else
		tpl_parse_measures(p->t, at->val, at->line, at->vcol, &p->b->q);
}

static void key_sort(blk_src *p, const tpl_attr *at)
{
	tpl_parse_sort(p->t, at->val, at->line, at->vcol, &p->b->q);
}

static void key_limit(blk_src *p, const tpl_attr *at)
{
	char *end;
	long v = strtol(at->val, &end, 10);
	if (*end || v <= 0)
		tpl_perr(p->t, at->line, at->vcol, "limit must be a positive whole number, not '%s'", at->val);
	else
		p->b->q.limit = v;
}

static void key_scope(blk_src *p, const tpl_attr *at)
{
	if (strcmp(at->val, "all") && strcmp(at->val, "page"))
		tpl_perr(p->t, at->line, at->vcol, "scope must be 'all' or 'page', not '%s'", at->val);
	p->b->q.scope_all = !strcmp(at->val, "all");
}

static void key_labels(blk_src *p, const tpl_attr *at)
{
	p->b->labels = tpl_split_list(at->val, '|', &p->b->nlabels, NULL);
}

static const struct { const char *name; enum tpl_when w; } whens[] = {
	{"always", WHEN_ALWAYS}, {"capacity", WHEN_CAPACITY}, {"no_capacity", WHEN_NO_CAPACITY},
	{"plain_synthea", WHEN_PLAIN}, {"waiting_list", WHEN_WAITING_LIST}, {"clinical", WHEN_CLINICAL},
	{"board", WHEN_BOARD},
};

static void key_when(blk_src *p, const tpl_attr *at)
{
	for (size_t w = 0; w < sizeof whens / sizeof whens[0]; w++)
		if (!strcmp(whens[w].name, at->val)) {
			p->b->when = whens[w].w;
			return;
		}
	tpl_perr(p->t, at->line, at->vcol, "unknown condition when=%s (capacity, no_capacity, plain_synthea, "
					    "waiting_list, clinical, board)", at->val);
}

static void chart_kind_attr(blk_src *p, const tpl_attr *at)
{
	chart_kind ck;
	if (chart_kind_parse(at->val, &ck))
		tpl_perr(p->t, at->line, at->vcol,
			 "unknown chart kind '%s' (bar, stacked-bar, line, histogram, heatmap, spc)", at->val);
	p->b->chart_kind = xstrdup(at->val);
}

static void diagram_kind_attr(blk_src *p, const tpl_attr *at)
{
	if (strcmp(at->val, "data-model") && strcmp(at->val, "lineage") && strcmp(at->val, "sources"))
		tpl_perr(p->t, at->line, at->vcol, "unknown diagram kind '%s' (data-model, lineage, sources)", at->val);
	p->b->chart_kind = xstrdup(at->val);
}

static void key_kind(blk_src *p, const tpl_attr *at)
{
	(p->kd->kind_attr ? p->kd->kind_attr : chart_kind_attr)(p, at);
}

static void key_title(blk_src *p, const tpl_attr *at)
{
	p->b->title = xstrdup(at->val);
}

static void key_link(blk_src *p, const tpl_attr *at)
{
	p->b->link = xstrdup(at->val);
}

static void key_filters(blk_src *p, const tpl_attr *at)
{
	p->b->filters = tpl_split_names(at->val, at->line, at->vcol, &p->b->nfilters);
}

static void key_empty(blk_src *p, const tpl_attr *at)
{
	p->b->empty = xstrdup(at->val);
}

static void key_caption(blk_src *p, const tpl_attr *at)
{
	p->b->caption = xstrdup(at->val);
}

static void key_x(blk_src *p, const tpl_attr *at)
{
	p->b->x = name_of(at);
}

static void key_series(blk_src *p, const tpl_attr *at)
{
	p->b->series = name_of(at);
}

/* Chart options are handed to the chart module as written. */
static void key_chart_opt(blk_src *p, const tpl_attr *at)
{
	tpl_block *b = p->b;
	b->chart_opts = xrealloc(b->chart_opts, (size_t)(b->nchart_opts + 1) * sizeof *b->chart_opts);
	b->chart_opts[b->nchart_opts++] = (tpl_opt){xstrdup(at->key), xstrdup(at->val), at->line, at->vcol};
}

/* Every key a fenced block may have, in the order they are read (and so
 * the order of their errors). */
static const struct key_def {
	const char *key;
	void (*read)(blk_src *p, const tpl_attr *at);
} keys[] = {
	{"model", key_model}, {"filter", key_filter}, {"columns", key_columns}, {"group", key_group},
	{"measures", key_measures}, {"y", key_y}, {"sort", key_sort}, {"limit", key_limit},
	{"scope", key_scope}, {"labels", key_labels}, {"when", key_when}, {"kind", key_kind},
	{"title", key_title}, {"link", key_link}, {"filters", key_filters}, {"empty", key_empty},
	{"caption", key_caption}, {"x", key_x}, {"series", key_series},
	{"x_label", key_chart_opt}, {"y_label", key_chart_opt}, {"target", key_chart_opt},
	{"target_label", key_chart_opt}, {"suffix", key_chart_opt}, {"bins", key_chart_opt},
	{"order", key_chart_opt}, {"x_order", key_chart_opt}, {"series_order", key_chart_opt},
	{"horizontal", key_chart_opt}, {"better", key_chart_opt}, {"interim", key_chart_opt},
	{"interim_label", key_chart_opt}, {"show", key_chart_opt},
};

/* Reports the attributes the kind does not accept, then reads every key.
 * A key the kind does not accept is read too, so that the mistakes in its
 * value are reported with it. */
static void read_keys(blk_src *p)
{
	const kind_def *kd = p->kd;
	/* a->v[0] is the kind word itself. */
	for (int k = 1; k < p->a->n; k++) {
		const tpl_attr *at = &p->a->v[k];
		char pad[64];
		snprintf(pad, sizeof pad, " %s ", at->key);
		if (!at->val || !strstr(kd->keys, pad))
			tpl_perr(p->t, at->line, at->kcol, "unknown %s attribute '%s' (accepted:%s)", kd->name, at->key,
				 kd->keys);
	}
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const tpl_attr *at = tpl_attr_get(p->a, keys[k].key);
		if (at)
			keys[k].read(p, at);
	}
}

/* Further attributes may follow in the body, one or more a line. */
static void body_attrs(blk_src *p)
{
	int ln = p->line + 1;
	for (const char *s = p->text; *s; ln++) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		size_t sk = strspn(s, " \t");
		if (sk < n && s[sk] != '#')
			tpl_split_attrs(p->t, s, n, ln, p->col, p->a);
		if (!e)
			break;
		s = e + 1;
	}
}

/* ---- Parsing, kind by kind ---- */

/* chart, diagram, downloads, packs: attributes only. */
static void parse_attrs(blk_src *p)
{
	body_attrs(p);
	read_keys(p);
}

/* Grouping without measures counts rows; sort keys that are neither
 * group columns nor measures become hidden measures. */
static void parse_table(blk_src *p)
{
	tpl_query *q = &p->b->q;
	tpl_measure m;
	parse_attrs(p);
	if (q->ngroup > 0 && q->nms == 0) {
		tpl_parse_measure(p->t, "count", p->line, p->col, &m);
		tpl_add_measure(q, &m);
	}
	if (q->ngroup == 0 && q->nms == 0)
		return;
	for (int k = 0; k < q->nsort; k++) {
		tpl_sort *so = &q->sort[k];
		int known = 0;
		for (int g = 0; g < q->ngroup; g++)
			known |= !strcmp(q->group[g].s, so->key);
		for (int g = 0; g < q->nms; g++)
			known |= !strcmp(q->ms[g].text, so->key);
		if (known)
			continue;
		if (tpl_parse_measure(p->t, so->key, so->line, so->col + so->desc, &m) == 0) {
			tpl_add_measure(q, &m);
			q->nhidden++;
		} else
			tpl_free_measure(&m);
	}
}

/* One line of a kpis body, s at ln:c: "kpi", "kpi = measure" or
 * "kpi = measure ? filter". Returns 0, or -1 after reporting (kl is then
 * freed). */
static int kpi_line(template *t, tpl_kpi_line *kl, const char *s, int ln, int c)
{
	size_t k = strcspn(s, " \t=");
	memset(kl, 0, sizeof *kl);
	kl->kpi = xstrndup(s, k);
	kl->line = ln;
	kl->col = c;
	const char *eq = strchr(s + k, '=');
	int ok = 1;
	if (eq) {
		const char *m = eq + 1;
		while (isspace((unsigned char)*m))
			m++;
		char *mt = xstrdup(m);
		char *qm = strchr(mt, '?');
		if (qm) {
			/* "kpi = measure ? filter": the line's own filter */
			*qm = '\0';
			tpl_query lq = {0};
			tpl_parse_filter(t, qm + 1, ln, c + (int)(m - s) + (int)(qm - mt) + 1, &lq);
			kl->conds = lq.conds;
			kl->nconds = lq.nconds;
		}
		for (size_t z = strlen(mt); z && isspace((unsigned char)mt[z - 1]); z--)
			mt[z - 1] = '\0';
		kl->has_measure = 1;
		ok = tpl_parse_measure(t, mt, ln, c + (int)(m - s), &kl->m) == 0;
		free(mt);
	} else if (s[k + strspn(s + k, " \t")]) {
		tpl_perr(t, ln, c + (int)k, "expected 'KPI' or 'KPI = MEASURE' on a kpis line");
		ok = 0;
	}
	if (ok)
		return 0;
	if (kl->has_measure)
		tpl_free_measure(&kl->m);
	for (int z = 0; z < kl->nconds; z++)
		tpl_free_cond(&kl->conds[z]);
	free(kl->conds); /* the line's filter, parsed before the measure failed */
	free(kl->kpi);
	return -1;
}

/* The kpis body: one KPI a line; '#' starts a comment line. */
static void parse_kpis(blk_src *p)
{
	tpl_block *b = p->b;
	int ln = p->line + 1;
	for (const char *s = p->text; *s; ln++) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *l = xstrndup(s, n);
		char *w = l;
		while (isspace((unsigned char)*w))
			w++;
		if (*w && *w != '#') {
			b->kpis = xrealloc(b->kpis, (size_t)(b->nkpis + 1) * sizeof *b->kpis);
			if (kpi_line(p->t, &b->kpis[b->nkpis], w, ln, p->col + (int)(w - l)) == 0)
				b->nkpis++;
		}
		free(l);
		if (!e)
			break;
		s = e + 1;
	}
	read_keys(p);
}

/* A note's body is CommonMark; tpl_parse looks for blocks in it. */
static void parse_note(blk_src *p)
{
	p->b->body = cmark_parse_document(p->text, strlen(p->text), CMARK_OPT_DEFAULT);
	p->b->body_line0 = p->line;
	p->b->body_col0 = p->col - 1;
	read_keys(p);
}

/* kpi:NAME, or kpi:NAME.value for the value without its badge. */
static void parse_kpi(blk_src *p)
{
	tpl_block *b = p->b;
	size_t n = strlen(p->text);
	b->kpis = xcalloc(1, sizeof *b->kpis);
	b->kpis[0].plain = n > 6 && !strcmp(p->text + n - 6, ".value");
	b->kpis[0].kpi = xstrndup(p->text, b->kpis[0].plain ? n - 6 : n);
	b->kpis[0].line = p->line;
	b->kpis[0].col = p->col;
	b->nkpis = 1;
}

static void parse_meta(blk_src *p)
{
	static const char *const metas[] = {"census", "source", "audience", "version", "rules_file", "rules_sha256"};
	size_t i = 0;
	while (i < sizeof metas / sizeof metas[0] && strcmp(p->text, metas[i]))
		i++;
	if (i == sizeof metas / sizeof metas[0])
		tpl_perr(p->t, p->line, p->col,
			 "unknown meta:%s (census, source, audience, version, rules_file or rules_sha256)", p->text);
	p->b->meta = xstrdup(p->text);
}

/* MODEL.WHAT?FILTER (value: and top:): sets the block's model and returns
 * WHAT (owned) with its column in *wcol, or NULL after reporting. */
static char *inline_model(blk_src *p, const char *what, int *wcol)
{
	char *head = xstrndup(p->text, strcspn(p->text, "?"));
	char *dot = strchr(head, '.');
	if (!dot || dot == head || !dot[1]) {
		tpl_perr(p->t, p->line, p->col, "expected %sMODEL.%s", p->kd->name, what);
		free(head);
		return NULL;
	}
	p->b->q.model = (tpl_name){xstrndup(head, (size_t)(dot - head)), p->line, p->col};
	*wcol = p->col + (int)(dot + 1 - head);
	char *w = xstrdup(dot + 1);
	free(head);
	return w;
}

/* The ?FILTER after MODEL.WHAT. */
static void inline_filter(blk_src *p)
{
	const char *q = strchr(p->text, '?');
	if (q)
		tpl_parse_filter(p->t, q + 1, p->line, p->col + (int)(q - p->text) + 1, &p->b->q);
}

/* value:MODEL.MEASURE?FILTER */
static void parse_value(blk_src *p)
{
	int mc;
	char *m = inline_model(p, "MEASURE", &mc);
	if (!m)
		return;
	tpl_parse_measures(p->t, m, p->line, mc, &p->b->q);
	inline_filter(p);
	free(m);
}

/* top:MODEL.COLUMN [by [-]MEASURE]?FILTER: the column's value in the row
 * with the largest measure (the smallest with '-'), by default its count. */
static void parse_top(blk_src *p)
{
	tpl_block *b = p->b;
	int rc;
	char *rest = inline_model(p, "COLUMN", &rc);
	if (!rest)
		return;
	const char *by = strstr(rest, " by ");
	size_t cn = by ? (size_t)(by - rest) : strlen(rest);
	b->top_col = (tpl_name){xstrndup(rest, cn), p->line, rc};
	int asc = by && by[4] == '-';
	if (by)
		tpl_parse_measures(p->t, by + 4 + asc, p->line, rc + (int)cn + 4 + asc, &b->q);
	else {
		tpl_measure m;
		tpl_parse_measure(p->t, "count", p->line, rc, &m);
		tpl_add_measure(&b->q, &m);
	}
	b->q.group = xcalloc(1, sizeof *b->q.group);
	b->q.group[0] = b->top_col;
	b->q.group[0].s = xstrdup(b->top_col.s);
	b->q.ngroup = 1;
	if (b->q.nms > 0) {
		b->q.sort = xcalloc(1, sizeof *b->q.sort);
		b->q.sort[0].key = xstrdup(b->q.ms[0].text);
		b->q.sort[0].desc = !asc;
		b->q.nsort = 1;
	}
	b->q.limit = 1;
	inline_filter(p);
	free(rest);
}

/* ---- Validation, kind by kind ---- */

/* filters=: the columns a reader may filter by must be shown. */
static void check_filters(tpl_vctx *v, const tpl_block *b)
{
	const tpl_query *q = &b->q;
	for (int i = 0; i < b->nfilters; i++) {
		int found = 0;
		for (int k = 0; k < q->ncols; k++)
			found |= !strcmp(q->cols[k].s, b->filters[i].s);
		for (int k = 0; k < q->ngroup; k++)
			found |= !strcmp(q->group[k].s, b->filters[i].s);
		if (!found)
			tpl_perr(v->t, b->filters[i].line, b->filters[i].col,
				 "filters=: '%s' is not a column of this table (columns= or group=)", b->filters[i].s);
	}
}

static void check_table(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	const tpl_query *q = &b->q;
	mm_type ty;
	int grouped = q->ngroup > 0 || q->nms > 0;
	if (!grouped && q->ncols == 0) {
		tpl_perr(v->t, b->line, b->col, "a table needs columns= (rows as they are) or group= and measures=");
		return;
	}
	if (grouped && q->ncols > 0) {
		tpl_perr(v->t, q->cols[0].line, q->cols[0].col,
			 "use either columns= (rows as they are) or group=/measures= (aggregated), not both");
		return;
	}
	if (!grouped && s->patient_level && !v->t->clinical)
		tpl_perr(v->t, b->line, b->col,
			 "model '%s' has a row per patient or pathway: outside templates/clinical/ a table must "
			 "aggregate it with group= and measures=", s->name);
	for (int i = 0; i < q->ncols; i++)
		tpl_check_shown(v, s, &q->cols[i], &ty);
	for (int i = 0; i < q->ngroup; i++)
		tpl_check_shown(v, s, &q->group[i], &ty);
	for (int i = 0; i < q->nsort; i++)
		if (!grouped)
			tpl_check_col(v, s, q->sort[i].key, q->sort[i].line, q->sort[i].col + q->sort[i].desc, &ty);
	check_filters(v, b);
	int shown = grouped ? q->ngroup + q->nms - q->nhidden : q->ncols;
	if (b->nlabels > shown)
		tpl_perr(v->t, b->line, b->col, "%d labels for %d columns", b->nlabels, shown);
}

static int opt_is(const tpl_opt *o, const char *key)
{
	return !strcmp(o->key, key);
}

static void check_chart_opt(tpl_vctx *v, const tpl_block *b, const tpl_opt *o)
{
	chart_order co;
	char *end;
	if (opt_is(o, "order") && chart_order_parse(o->val, &co))
		tpl_perr(v->t, o->line, o->col, "order must be auto, rows, value or label");
	if (opt_is(o, "target") && !strncmp(o->val, "{{rule:", 7)) {
		tpl_check_placeholders(v, o->val, o->line, o->col);
		char *t = tpl_text(v->cat, NULL, o->val);
		if (!strstr(t, "{{") && (strtod(t, &end), *end || !*t))
			tpl_perr(v->t, o->line, o->col, "target must be a number: '%s' gives '%s' (use the form "
							":number or :weeks-number)", o->val, t);
		free(t);
	} else if (opt_is(o, "better") && strcmp(o->val, "higher") && strcmp(o->val, "lower"))
		tpl_perr(v->t, o->line, o->col, "better must be higher or lower");
	else if (opt_is(o, "show") && (strcmp(o->val, "chart") && strcmp(o->val, "verdict")))
		tpl_perr(v->t, o->line, o->col, "show must be chart or verdict");
	else if (opt_is(o, "show") && !strcmp(o->val, "verdict") && (!b->chart_kind || strcmp(b->chart_kind, "spc")))
		tpl_perr(v->t, o->line, o->col, "show=verdict needs kind=spc: only SPC charts have verdicts");
	else if ((opt_is(o, "target") || opt_is(o, "bins") || opt_is(o, "interim")) && (strtod(o->val, &end), *end))
		tpl_perr(v->t, o->line, o->col, "%s must be a number", o->key);
	else if (opt_is(o, "target_label") || opt_is(o, "x_label") || opt_is(o, "y_label") || opt_is(o, "interim_label"))
		tpl_check_placeholders(v, o->val, o->line, o->col);
}

static void check_chart(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	const tpl_query *q = &b->q;
	mm_type ty;
	if (!b->chart_kind) {
		tpl_perr(v->t, b->line, b->col, "a chart needs kind= (bar, stacked-bar, line, histogram, heatmap, spc)");
		return;
	}
	if (!b->x.s) {
		tpl_perr(v->t, b->line, b->col, "a chart needs x=");
		return;
	}
	tpl_check_shown(v, s, &b->x, &ty);
	if (b->series.s)
		tpl_check_shown(v, s, &b->series, &ty);
	else if (!strcmp(b->chart_kind, "heatmap"))
		tpl_perr(v->t, b->line, b->col, "a heatmap needs series= (its rows)");
	if (q->nms > 1)
		tpl_perr(v->t, q->ms[1].line, q->ms[1].col, "a chart shows one measure: use series= to split it");
	for (int i = 0; i < b->nchart_opts; i++)
		check_chart_opt(v, b, &b->chart_opts[i]);
}

/* "KPI = MEASURE" lines are computed from the block's model. */
static void check_kpis(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	for (int i = 0; i < b->nkpis; i++) {
		const tpl_kpi_line *k = &b->kpis[i];
		tpl_check_kpi(v, k);
		if (!k->has_measure)
			continue;
		if (!s) {
			tpl_perr(v->t, k->line, k->col, "'KPI = MEASURE' lines need model= on the kpis block");
			continue;
		}
		tpl_check_measure(v, s, &k->m);
		for (int c = 0; c < k->nconds; c++)
			tpl_check_cond(v, s, &k->conds[c]);
	}
}

static void check_kpi(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	tpl_check_kpi(v, &b->kpis[0]);
}

static void check_diagram(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	if (!b->chart_kind)
		tpl_perr(v->t, b->line, b->col, "a diagram needs kind= (data-model, lineage, sources)");
}

static void check_value(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	if (b->q.nms != 1)
		tpl_perr(v->t, b->line, b->col, "value: takes exactly one measure");
}

static void check_top(tpl_vctx *v, const tpl_block *b, const tpl_source *s)
{
	mm_type ty;
	tpl_check_shown(v, s, &b->top_col, &ty);
}

/* ---- The kinds ---- */

static const kind_def kinds[] = {
	{.kind = BLK_TABLE, .name = "table", .model = NEEDS_MODEL, .parse = parse_table, .check = check_table,
	 .keys = " model columns group measures filter sort limit title labels empty scope link caption filters "},
	{.kind = BLK_CHART, .name = "chart", .model = NEEDS_MODEL, .parse = parse_attrs, .check = check_chart,
	 .kind_attr = chart_kind_attr,
	 .keys = " kind model x y series filter limit title x_label y_label target target_label suffix bins order "
		 "x_order series_order horizontal empty scope caption better interim interim_label show "},
	{.kind = BLK_KPIS, .name = "kpis", .model = MODEL_IF_GIVEN, .parse = parse_kpis, .check = check_kpis,
	 .keys = " model filter scope title "},
	{.kind = BLK_NOTE, .name = "note", .parse = parse_note, .keys = " when "},
	{.kind = BLK_DOWNLOADS, .name = "downloads", .parse = parse_attrs, .keys = " title "},
	{.kind = BLK_DIAGRAM, .name = "diagram", .parse = parse_attrs, .check = check_diagram,
	 .kind_attr = diagram_kind_attr, .keys = " kind title caption "},
	{.kind = BLK_PACKS, .name = "packs", .parse = parse_attrs, .keys = " title "},
	{.kind = BLK_KPI, .name = "kpi:", .is_inline = 1, .parse = parse_kpi, .check = check_kpi},
	{.kind = BLK_VALUE, .name = "value:", .is_inline = 1, .model = NEEDS_MODEL, .parse = parse_value,
	 .check = check_value},
	{.kind = BLK_TOP, .name = "top:", .is_inline = 1, .model = NEEDS_MODEL, .parse = parse_top, .check = check_top},
	{.kind = BLK_META, .name = "meta:", .is_inline = 1, .parse = parse_meta},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static const kind_def *kind_def_of(enum tpl_kind kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].kind == kind)
			return &kinds[i];
	abort(); /* a kind without a row */
}

/* The kind of fenced code whose info string starts with the word s[0..n). */
static const kind_def *fenced_kind(const char *s, size_t n)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!kinds[i].is_inline && strlen(kinds[i].name) == n && !strncmp(kinds[i].name, s, n))
			return &kinds[i];
	return NULL;
}

/* The kind of inline code starting with a kind's prefix. */
static const kind_def *inline_kind(const char *s)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].is_inline && !strncmp(s, kinds[i].name, strlen(kinds[i].name)))
			return &kinds[i];
	return NULL;
}

/* ---- Parsing and checking a block ---- */

static tpl_block *new_block(template *t, enum tpl_kind kind, cmark_node *node, int line, int col)
{
	t->blocks = xrealloc(t->blocks, (size_t)(t->nblocks + 1) * sizeof *t->blocks);
	tpl_block *b = &t->blocks[t->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->node = node;
	b->line = line;
	b->col = col;
	cmark_node_set_user_data(node, (void *)(intptr_t)t->nblocks);
	return b;
}

/* Start of line `line` (1-based) of the template source, and its length. */
static const char *source_line(const template *t, int line, size_t *len)
{
	const char *p = t->src, *end = t->src + t->len;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

static void parse_fenced(template *t, cmark_node *node, const kind_def *kd)
{
	/* In a note's body, cmark counts from the body: move to the source. */
	int line = cmark_node_get_start_line(node) + t->line_off;
	int col = cmark_node_get_start_column(node) + t->col_off;
	size_t len;
	const char *ls = source_line(t, line, &len);
	/* The info string as written: after the fence and spaces. */
	size_t i = col > 0 ? (size_t)col - 1 : 0;
	while (i < len && (ls[i] == ' ' || ls[i] == '\t' || ls[i] == '>'))
		i++;
	while (i < len && (ls[i] == '`' || ls[i] == '~'))
		i++;
	while (i < len && (ls[i] == ' ' || ls[i] == '\t'))
		i++;
	tpl_block *b = new_block(t, kd->kind, node, line, (int)i + 1);
	tpl_attrs a = {0};
	tpl_split_attrs(t, ls + i, len - i, line, (int)i + 1, &a);
	if (a.n == 0 || strcmp(a.v[0].key, kd->name) != 0) {
		/* The source line is not the fence as cmark saw it (a note
		 * body nested in a block quote or a list): read cmark's info
		 * string instead; positions are then the block's own. */
		tpl_attrs_free(&a);
		memset(&a, 0, sizeof a);
		const char *info = cmark_node_get_fence_info(node);
		tpl_split_attrs(t, info, strlen(info), line, col, &a);
	}
	blk_src p = {t, b, kd, &a, cmark_node_get_literal(node), line, col};
	kd->parse(&p);
	tpl_attrs_free(&a);
}

void tpl_block_parse(template *t, cmark_node *node)
{
	if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
		const char *info = cmark_node_get_fence_info(node);
		size_t w = info ? strcspn(info, " \t") : 0;
		const kind_def *kd = w ? fenced_kind(info, w) : NULL;
		if (kd)
			parse_fenced(t, node, kd);
		return;
	}
	const char *lit = cmark_node_get_literal(node);
	const kind_def *kd = inline_kind(lit);
	if (!kd)
		return;
	int line = cmark_node_get_start_line(node) + t->line_off;
	int col = cmark_node_get_start_column(node) + t->col_off;
	tpl_block *b = new_block(t, kd->kind, node, line, col);
	size_t n = strlen(kd->name);
	blk_src p = {t, b, kd, NULL, lit + n, line, col + (int)n};
	kd->parse(&p);
}

void tpl_block_check(tpl_vctx *v, const tpl_block *b)
{
	const kind_def *kd = kind_def_of(b->kind);
	const tpl_source *s = NULL;
	if (kd->model == NEEDS_MODEL || (kd->model == MODEL_IF_GIVEN && b->q.model.s)) {
		tpl_name m = b->q.model;
		if (!m.s) {
			m.line = b->line;
			m.col = b->col;
		}
		if (!(s = tpl_check_model(v, &m, kd->name)))
			return;
		tpl_check_query(v, s, b);
	}
	tpl_check_placeholders(v, b->title, b->line, b->col);
	tpl_check_placeholders(v, b->empty, b->line, b->col);
	tpl_check_placeholders(v, b->caption, b->line, b->col);
	for (int i = 0; i < b->nlabels; i++)
		tpl_check_placeholders(v, b->labels[i], b->line, b->col);
	if (kd->check)
		kd->check(v, b, s);
}

int tpl_when_holds(const tpl_catalog *cat, enum tpl_when w)
{
	switch (w) {
	case WHEN_ALWAYS: return 1;
	case WHEN_CAPACITY: return cat->has_capacity;
	case WHEN_NO_CAPACITY: return !cat->has_capacity;
	case WHEN_PLAIN: return cat->plain_synthea;
	case WHEN_WAITING_LIST: return !cat->plain_synthea;
	case WHEN_CLINICAL: return cat->clinical;
	case WHEN_BOARD: return !cat->clinical;
	}
	return 0;
}
