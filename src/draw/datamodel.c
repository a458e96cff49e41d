/* Entity-relationship diagrams: the source tables (er_diagram) and the
 * whole data model, sources to marts (data_model_diagram). This file
 * builds the diagram's entities, a box per table with its key columns and
 * a relationship per foreign key, and makes the chart: it lays them out
 * (datamodel_layout.c) and draws them (datamodel_draw.c) with the
 * headings, the legend and the table of relationships behind the
 * drawing. Keys come from declarations only: the data contract's keys and
 * foreign keys (contract/sources.c) for sources, the unique and ref() data
 * tests of the model registry for models. */
#include "draw/datamodel_impl.h"
#include "check/check.h"
#include "contract/schema.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The entities and their relationships ------------------------------------ */

static int find_row(const ebox *b, const char *col)
{
	for (int i = 0; i < b->nrow; i++)
		if (strcmp(b->row[i].name, col) == 0)
			return i;
	return -1;
}

/* Adds role to column col of b (a new row if needed). */
static void add_role(ebox *b, const char *col, int role)
{
	int i = find_row(b, col);
	if (i < 0) {
		if (b->nrow == MAX_ROWS)
			return;
		i = b->nrow++;
		snprintf(b->row[i].name, sizeof b->row[i].name, "%s", col);
		b->row[i].role = 0;
	}
	b->row[i].role |= role;
}

static int rank_role(int role)
{
	return role & ROLE_PK ? 0 : role & ROLE_FK ? 1 : 2;
}

/* Keys first, then foreign keys, then other referenced columns; stable. */
static void sort_rows(ebox *b)
{
	for (int i = 1; i < b->nrow; i++)
		for (int j = i; j > 0 && rank_role(b->row[j].role) < rank_role(b->row[j - 1].role); j--) {
			erow t = b->row[j];
			b->row[j] = b->row[j - 1];
			b->row[j - 1] = t;
		}
}

static int box_of(const emodel *m, const char *name)
{
	for (int i = 0; i < m->nbox; i++)
		if (strcmp(m->box[i].name, name) == 0)
			return i;
	return -1;
}

static ebox *new_box(emodel *m, const char *name, int band, int model, int src)
{
	m->box = xrealloc(m->box, (size_t)(m->nbox + 1) * sizeof *m->box);
	ebox *b = &m->box[m->nbox++];
	memset(b, 0, sizeof *b);
	b->name = name, b->band = band, b->model = model, b->src = src;
	return b;
}

static void new_rel(emodel *m, int child, const char *ccol, int parent, const char *pcol, int dashed,
		    const char *title)
{
	m->rel = xrealloc(m->rel, (size_t)(m->nrel + 1) * sizeof *m->rel);
	erel *r = &m->rel[m->nrel++];
	memset(r, 0, sizeof *r);
	r->child = child, r->parent = parent, r->dashed = dashed;
	r->crow = find_row(&m->box[child], ccol);
	r->prow = find_row(&m->box[parent], pcol);
	r->title = xstrdup(title);
}

/* Whether column c of source table d is one of its foreign keys. */
static int is_fk(const src_table *d, const char *c)
{
	for (int k = 0; k < d->nfks; k++)
		if (strcmp(d->fks[k].column, c) == 0)
			return 1;
	return 0;
}

/* The source tables with their declared keys and foreign keys; a code
 * looked up in a seed (FK_LOOKUP) is kept and counted rather than
 * rejected when the seed lacks it, so it is drawn dashed. */
static void source_boxes(emodel *m)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const src_table *d = &source_tables[s];
		ebox *b = new_box(m, d->name, 0, -1, s);
		for (int i = 0; i < d->ncols; i++) { /* schema order */
			const char *c = d->cols[i].name;
			int role = (d->key && strcmp(d->key, c) == 0 ? ROLE_PK : 0) | (is_fk(d, c) ? ROLE_FK : 0);
			if (role)
				add_role(b, c, role);
		}
		sort_rows(b);
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		const src_table *d = &source_tables[s];
		for (int k = 0; k < d->nfks; k++) {
			const src_fk *fk = &d->fks[k];
			const src_table *p = &source_tables[fk->parent];
			int a = box_of(m, p->name), c = box_of(m, d->name);
			if (a < 0 || c < 0 || !p->key || find_row(&m->box[a], p->key) < 0 ||
			    find_row(&m->box[c], fk->column) < 0)
				continue;
			int lookup = (fk->flags & FK_LOOKUP) != 0;
			char tip[300];
			snprintf(tip, sizeof tip, "%s.%s \xE2\x86\x92 %s.%s%s", d->name, fk->column, p->name, p->key,
				 lookup ? " (code lookup)" : "");
			new_rel(m, c, fk->column, a, p->key, lookup, tip);
		}
	}
}

/* The ref() tests of the models from box first on. Pass 0 gives each
 * referenced column a row in its parent's box (counting the tests whose
 * parent is not drawn); pass 1 draws an edge for each. */
static void ref_pass(emodel *m, int first, int pass)
{
	for (int i = first; i < m->nbox; i++) {
		const model_def *d = m->box[i].def;
		test_list own;
		int n;
		const model_test *v = model_def_tests(d, &own, &n);
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column < 0 || !s->ref_model)
				continue;
			int p = box_of(m, s->ref_model);
			if (p < 0) {
				m->skipped += pass == 0;
				continue;
			}
			if (pass == 0) {
				add_role(&m->box[p], s->ref_col, find_row(&m->box[p], s->ref_col) < 0 ? ROLE_REF : 0);
				continue;
			}
			int warn = s->severity == SEV_WARN;
			char tip[300];
			snprintf(tip, sizeof tip, "%s.%s \xE2\x86\x92 %s.%s%s", d->name, v[k].colname, s->ref_model,
				 s->ref_col, warn ? " (tested as a warning)" : "");
			new_rel(m, i, v[k].colname, p, s->ref_col, warn, tip);
		}
		test_list_free(&own);
	}
}

/* The models of the registry, then extra (declared elsewhere, e.g. by a
 * test), drawn after them in their layer. Keys are the error-severity key
 * tests (unique on a column, unique(a, b) on the model), foreign keys the
 * ref() tests, read from the compiled tests (the registry's, or compiled
 * on their own for a model declared elsewhere); a test that does not
 * parse is skipped, as the registry is validated at start-up. */
static void model_boxes(emodel *m, int with_intermediate, const model_def *const *extra, int nextra)
{
	int first = m->nbox;
	int nreg = model_total();
	for (int i = 0; i < nreg + nextra; i++) {
		const model_def *d = i < nreg ? model_at(i) : extra[i - nreg];
		if (d->layer == LAYER_SOURCE || (d->layer == LAYER_INTERMEDIATE && !with_intermediate))
			continue;
		ebox *b = new_box(m, d->name, (int)d->layer, i, -1);
		b->def = d;
		test_list own;
		int n;
		const model_test *v = model_def_tests(d, &own, &n);
		int *role = xcalloc((size_t)d->ncols + 1, sizeof *role);
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column < 0)
				continue;
			if ((s->kind->flags & TKF_KEY) && s->severity == SEV_ERROR && !s->nargs)
				role[v[k].column] |= ROLE_PK;
			else if (s->ref_model)
				role[v[k].column] |= ROLE_FK;
		}
		for (int c = 0; c < d->ncols; c++)
			if (role[c])
				add_role(b, d->cols[c].name, role[c]);
		free(role);
		/* A composite key: a model test "unique(a, b)". */
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column >= 0 || !(s->kind->flags & TKF_KEY) || s->severity != SEV_ERROR)
				continue;
			for (int j = 0; j < s->nargs; j++)
				add_role(b, s->args[j], ROLE_PK);
		}
		test_list_free(&own);
	}
	/* Relationships, once every box exists; a referenced column that is
	 * not a key of its table still gets a row to end at. Rows are sorted
	 * before the edges are made, as an edge names its rows. */
	ref_pass(m, first, 0);
	for (int i = 0; i < m->nbox; i++)
		sort_rows(&m->box[i]);
	ref_pass(m, first, 1);
}

static void emodel_free(emodel *m)
{
	for (int i = 0; i < m->nrel; i++)
		free(m->rel[i].title);
	free(m->rel);
	free(m->box);
}

static chart *er_chart(const char *title, const char *href_prefix, int models, int with_intermediate,
		       const model_def *const *extra, int nextra)
{
	emodel m = {0};
	source_boxes(&m);
	if (models)
		model_boxes(&m, with_intermediate, extra, nextra);
	int bands[NBAND], nbands = 0;
	for (int b = 0; b < NBAND; b++) {
		int any = 0;
		for (int i = 0; i < m.nbox; i++)
			any |= m.box[i].band == b;
		if (any)
			bands[nbands++] = b;
	}
	double top = PAD + 13 + (models ? 28 : 18), width, height;
	er_layout(&m, bands, nbands, models, top, &width, &height);
	chart *c = chart_new(width, height, title);
	c->natural_size = 1;
	shape *t = chart_text(c, PAD, PAD + 13, title, 16, ANCHOR_START, NHS_TEXT);
	t->bold = 1;
	if (models)
		for (int b = 0; b < nbands; b++) { /* headings over each band, at its first column */
			double x = INFINITY, y = m.head_y[bands[b]];
			for (int k = 0; k < m.nbox; k++)
				if (m.box[k].col == m.head_col[bands[b]])
					x = fmin(x, m.box[k].x);
			chart_text(c, x, isnan(y) ? top - HEAD_BASE : y, er_band_heading[bands[b]], 13, ANCHOR_START,
				   NHS_TEXT_SECONDARY)
				->bold = 1;
		}
	er_draw_edges(c, &m);
	for (int i = 0; i < m.nbox; i++)
		er_draw_box(c, &m.box[i], href_prefix);
	double widest;
	er_draw_legend(c, m.leg_x, m.leg_y, m.leg_w, bands, nbands, models, &widest);

	const char *head[] = {"Column", "References", "Kind"};
	chart_table_init(&c->data, (size_t)m.nrel, 3, head);
	for (int r = 0; r < m.nrel; r++) {
		const erel *e = &m.rel[r];
		char a[200], b[200];
		snprintf(a, sizeof a, "%s.%s", m.box[e->child].name, m.box[e->child].row[e->crow].name);
		snprintf(b, sizeof b, "%s.%s", m.box[e->parent].name, m.box[e->parent].row[e->prow].name);
		chart_table_set(&c->data, (size_t)r, 0, a);
		chart_table_set(&c->data, (size_t)r, 1, b);
		chart_table_set(&c->data, (size_t)r, 2,
				m.box[e->child].model < 0 ? (e->dashed ? "code lookup" : "foreign key")
							  : (e->dashed ? "ref() test (warning)" : "ref() test"));
	}
	buf d = {0};
	if (models)
		buf_printf(&d, "Entity-relationship diagram of the data model: %d source tables, seeds and models with their "
			       "key columns and %d relationships, from the data contract's foreign keys and the models' "
			       "ref() data tests. Columns left to right: sources and seeds, staging models%s, marts.",
			   m.nbox, m.nrel, with_intermediate ? ", intermediate models" : "");
	else
		buf_printf(&d, "Entity-relationship diagram of %d source tables and reference files with their key columns "
			       "and %d relationships; referenced tables are left of or above the tables that refer to them.",
			   m.nbox, m.nrel);
	chart_set_desc(c, d.s);
	buf_free(&d);
	emodel_free(&m);
	return c;
}

chart *er_diagram(const char *href_prefix)
{
	return er_chart("Source data model", href_prefix, 0, 0, NULL, 0);
}

chart *data_model_diagram(const char *href_prefix)
{
	return er_chart("Data model", href_prefix, 1, 0, NULL, 0);
}

chart *data_model_diagram_with(const char *href_prefix, const struct model_def *const *extra, int nextra)
{
	return er_chart("Data model", href_prefix, 1, 0, extra, nextra);
}
