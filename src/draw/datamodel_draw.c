/* The drawing of the data-model diagram on a chart, once it is laid out:
 * the boxes with their key columns, linked to the model and source pages,
 * the edges with a crow's foot at the foreign key and a bar at the key,
 * and the legend. */
#include "draw/datamodel_impl.h"
#include "contract/schema.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Drawing ----------------------------------------------------------------- */

const char *const er_band_heading[] = {"Sources and seeds", "Staging", "Intermediate", "Marts"};
/* Header fills by layer; seeds grey. */
static const colour band_fill[] = {0xE8F1FAu, 0xE3F4FBu, 0xDCE8F6u, 0xE1F0E7u};
static const colour band_stroke[] = {NHS_BLUE, NHS_LIGHT_BLUE, NHS_DARK_BLUE, NHS_GREEN};

static char *box_link(const char *prefix, const ebox *b)
{
	if (!prefix)
		return NULL;
	size_t n = strlen(prefix) + strlen(b->name) + 20;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s/%s.html", prefix, b->model >= 0 ? "models" : "sources", b->name);
	return s;
}

/* The end marks: a bar at the key ("one"), a crow's foot at the foreign
 * key ("many"); sx is the side of the box, dir +1 when the line leaves
 * to the right. */
static void end_mark(chart *c, double sx, double y, int dir, int many, colour col)
{
	if (many) {
		chart_line(c, sx + dir * 10, y, sx, y - 5, col, 1.2);
		chart_line(c, sx + dir * 10, y, sx, y + 5, col, 1.2);
	} else {
		chart_line(c, sx + dir * 6, y - 5, sx + dir * 6, y + 5, col, 1.2);
	}
}

static int on_segment(const erel *r, double x, double y)
{
	for (int i = 0; i + 1 < r->npts; i++) {
		double x0 = r->pts[2 * i], y0 = r->pts[2 * i + 1], x1 = r->pts[2 * i + 2], y1 = r->pts[2 * i + 3];
		if (fabs(x - x0) < 0.01 && fabs(x - x1) < 0.01 && y >= fmin(y0, y1) - 0.01 && y <= fmax(y0, y1) + 0.01)
			return 1;
		if (fabs(y - y0) < 0.01 && fabs(y - y1) < 0.01 && x >= fmin(x0, x1) - 0.01 && x <= fmax(x0, x1) + 0.01)
			return 1;
	}
	return 0;
}

void er_draw_edges(chart *c, const emodel *m)
{
	for (int j = 0; j < m->nrel; j++) {
		const erel *r = &m->rel[j];
		colour col = r->dashed ? NHS_MID_GREY : NHS_TEXT_SECONDARY;
		shape *s = chart_polyline(c, r->pts, (size_t)r->npts, col, 1.2);
		s->dashed = r->dashed;
		shape_set_title(s, r->title);
		const ebox *a = &m->box[r->a], *b = &m->box[r->b];
		double xa = r->pts[0], xb = r->pts[2 * r->npts - 2];
		end_mark(c, xa, r->ya, +1, r->a == r->child, col);
		end_mark(c, xb, r->yb, b->col == a->col ? +1 : -1, r->b == r->child, col);
	}
	/* A dot where an edge leaves a shared lane or track of its net. */
	for (int j = 0; j < m->nrel; j++) {
		const erel *r = &m->rel[j];
		for (int p = 1; p + 1 < r->npts; p++) {
			double x = r->pts[2 * p], y = r->pts[2 * p + 1];
			int join = 0;
			for (int i = 0; i < m->nrel && !join; i++) {
				const erel *o = &m->rel[i];
				if (i == j || o->net != r->net || !on_segment(o, x, y))
					continue;
				int corner = 0;
				for (int q = 1; q + 1 < o->npts; q++)
					if (fabs(o->pts[2 * q] - x) < 0.01 && fabs(o->pts[2 * q + 1] - y) < 0.01 &&
					    fabs(o->pts[2 * q + 2] - r->pts[2 * p + 2]) < 0.01 &&
					    fabs(o->pts[2 * q + 3] - r->pts[2 * p + 3]) < 0.01)
						corner = 1;
				join = !corner && (i < j || !on_segment(o, r->pts[2 * p + 2], r->pts[2 * p + 3]));
			}
			if (join)
				chart_circle(c, x, y, 2.5, r->dashed ? NHS_MID_GREY : NHS_TEXT_SECONDARY);
		}
	}
}

void er_draw_box(chart *c, const ebox *b, const char *href_prefix)
{
	int seed = b->src >= 0 && source_tables[b->src].seed;
	colour stroke = seed ? NHS_MID_GREY : band_stroke[b->band], fill = seed ? NHS_PALE_GREY : band_fill[b->band];
	char *href = box_link(href_prefix, b);
	const char *desc = b->def ? b->def->description : source_tables[b->src].description;
	shape *r = chart_rect(c, b->x, b->y, b->w, b->h, NHS_WHITE);
	r->r = 3;
	r->stroke = stroke;
	r->stroke_width = 1.5;
	shape_set_title(r, desc);
	shape_set_href(r, href);
	shape *hd = chart_rect(c, b->x + 0.75, b->y + 0.75, b->w - 1.5, HEAD_H - 0.75, fill);
	hd->r = 2.5;
	shape_set_href(hd, href);
	shape *t = chart_text(c, b->x + TEXT_X, b->y + 14, b->name, FS, ANCHOR_START, NHS_TEXT);
	t->bold = 1;
	shape_set_href(t, href);
	free(href);
	if (!b->nrow)
		chart_text(c, b->x + TEXT_X, b->y + HEAD_H + 11.5, "no key", FS, ANCHOR_START, NHS_TEXT_SECONDARY);
	for (int i = 0; i < b->nrow; i++) {
		double y = b->y + HEAD_H + ROW_H * (i + 0.5) + 3.75; /* centred on the row */
		int role = b->row[i].role;
		chart_text(c, b->x + TEXT_X, y, b->row[i].name, FS, ANCHOR_START, NHS_TEXT)->bold = (role & ROLE_PK) != 0;
	}
}

/* The key: line styles, the layers' colours, bold keys; items flow in
 * lines of at most maxw from x0, the first line's baseline at y. With c
 * NULL it only measures. Returns the last line's baseline; *widest is
 * the widest item. */
double er_draw_legend(chart *c, double x0, double y, double maxw, const int *bands, int nbands, int models,
		      double *widest)
{
	enum { SOLID, DASHED, SWATCH, TEXT };
	struct {
		int kind, band; /* band: index in bands, nbands for seeds */
		char label[80];
	} it[NBAND + 4];
	int n = 0;
	it[n].kind = SOLID, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "many to one: %s",
		 models ? "foreign key (contract) or ref() test" : "foreign key");
	it[n].kind = DASHED, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "%s",
		 models ? "code looked up in a seed, or ref() test of warning severity"
			: "code looked up in a reference file (seed)");
	for (int b = 0; b <= nbands; b++) {
		it[n].kind = SWATCH, it[n].band = b;
		snprintf(it[n].label, sizeof it[0].label, "%s",
			 b == nbands ? "seed (reference file)" : b == 0 ? "source" : er_band_heading[bands[b]]);
		if (b > 0 && b < nbands)
			it[n].label[0] = (char)(it[n].label[0] - 'A' + 'a');
		n++;
	}
	it[n].kind = TEXT, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "bold: key column (unique)");
	double x = x0;
	*widest = 0;
	for (int i = 0; i < n; i++) {
		double mark = it[i].kind == SWATCH ? 28 : it[i].kind == TEXT ? 0 : 34;
		double w = mark + text_width(it[i].label, FS, 0);
		*widest = fmax(*widest, w);
		if (x > x0 && x + w > x0 + maxw)
			x = x0, y += 20;
		if (c && it[i].kind == SOLID) {
			chart_line(c, x, y - 4, x + 28, y - 4, NHS_TEXT_SECONDARY, 1.2);
			end_mark(c, x + 28, y - 4, -1, 1, NHS_TEXT_SECONDARY);
			end_mark(c, x, y - 4, +1, 0, NHS_TEXT_SECONDARY);
		} else if (c && it[i].kind == DASHED) {
			chart_line(c, x, y - 4, x + 28, y - 4, NHS_MID_GREY, 1.2)->dashed = 1;
		} else if (c && it[i].kind == SWATCH) {
			int seed = it[i].band == nbands, b = bands[it[i].band % nbands];
			shape *r = chart_rect(c, x, y - 11, 22, 14, seed ? NHS_PALE_GREY : band_fill[b]);
			r->stroke = seed ? NHS_MID_GREY : band_stroke[b];
			r->stroke_width = 1.5;
			r->r = 2;
		}
		if (c)
			chart_text(c, x + mark, y, it[i].label, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
		x += w + 20;
	}
	return y;
}
