/* Charts and diagrams in the PDF: the shapes the chart module laid out
 * (chart.h), drawn as vectors, scaled from the chart's viewBox to the
 * page. The SVG back-end draws the same list, so the pictures agree. */
#include "out/pdf/pdf_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <string.h>

typedef struct xform {
	double x0, y0, s; /* page point = (x0 + x * s, y0 + y * s), top-down */
	double ph;        /* page height */
} xform;

static HPDF_REAL px(const xform *t, double x)
{
	return (HPDF_REAL)(t->x0 + x * t->s);
}

/* libharu's y axis points up. */
static HPDF_REAL py(const xform *t, double y)
{
	return (HPDF_REAL)(t->ph - (t->y0 + y * t->s));
}

static void stroke_style(HPDF_Page pg, const shape *sh, const xform *t)
{
	pdf_set_stroke(pg, sh->stroke);
	HPDF_Page_SetLineWidth(pg, (HPDF_REAL)((sh->stroke_width > 0 ? sh->stroke_width : 1) * t->s));
	if (sh->dashed) {
		HPDF_UINT16 dash[2] = {4, 3};
		HPDF_Page_SetDash(pg, dash, 2, 0);
	} else
		HPDF_Page_SetDash(pg, NULL, 0, 0);
}

/* Sets the fill and stroke a closed shape paints with; 0 when it paints
 * nothing. fill tells whether it fills. */
static int begin_paint(HPDF_Page pg, const shape *sh, const xform *t, int fill)
{
	int stroke = sh->stroke != COLOUR_NONE;
	if (!fill && !stroke)
		return 0;
	if (fill)
		pdf_set_fill(pg, sh->fill);
	if (stroke)
		stroke_style(pg, sh, t);
	return 1;
}

/* Paints the path just built as begin_paint set it up. */
static void end_paint(HPDF_Page pg, const shape *sh, int fill)
{
	if (fill && sh->stroke != COLOUR_NONE)
		HPDF_Page_FillStroke(pg);
	else if (fill)
		HPDF_Page_Fill(pg);
	else
		HPDF_Page_Stroke(pg);
}

static void draw_rect(HPDF_Page pg, const shape *sh, const xform *t)
{
	int fill = sh->fill != COLOUR_NONE;
	if (!begin_paint(pg, sh, t, fill))
		return;
	HPDF_Page_Rectangle(pg, px(t, sh->x), py(t, sh->y + sh->h), (HPDF_REAL)(sh->w * t->s),
			    (HPDF_REAL)(sh->h * t->s));
	end_paint(pg, sh, fill);
}

static void draw_poly(HPDF_Page pg, const shape *sh, const xform *t)
{
	int fill = sh->closed && sh->fill != COLOUR_NONE;
	if (sh->npts < 2 || !begin_paint(pg, sh, t, fill))
		return;
	HPDF_Page_MoveTo(pg, px(t, sh->pts[0]), py(t, sh->pts[1]));
	for (size_t i = 1; i < sh->npts; i++)
		HPDF_Page_LineTo(pg, px(t, sh->pts[2 * i]), py(t, sh->pts[2 * i + 1]));
	if (sh->closed)
		HPDF_Page_ClosePath(pg);
	end_paint(pg, sh, fill);
}

static void draw_text(pdf_doc *d, HPDF_Page pg, const shape *sh, const xform *t)
{
	if (!sh->text || !*sh->text)
		return;
	char *s = pdf_clean_text(sh->text);
	pdf_face f = sh->bold ? PF_COND_BOLD : PF_COND;
	double size = sh->size * t->s;
	double w = pdf_text_width(d, f, size, s, strlen(s));
	pdf_mark_used(d, f, s, strlen(s));
	double off = sh->anchor == ANCHOR_MIDDLE ? w / 2 : sh->anchor == ANCHOR_END ? w : 0;
	/* SVG rotates clockwise for positive angles with y down; PDF's y is up. */
	double a = -sh->rotate * M_PI / 180.0, c = cos(a), sn = sin(a);
	double x = px(t, sh->x) - off * c, y = py(t, sh->y) - off * sn;
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, pdf_font(d, f), (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(pg, (HPDF_REAL)c, (HPDF_REAL)sn, (HPDF_REAL)-sn, (HPDF_REAL)c, (HPDF_REAL)x,
				(HPDF_REAL)y);
	if (sh->halo) {
		/* A white outline under the glyphs keeps labels legible over bars. */
		HPDF_Page_SetTextRenderingMode(pg, HPDF_STROKE);
		pdf_set_stroke(pg, NHS_WHITE);
		HPDF_Page_SetLineWidth(pg, (HPDF_REAL)(size * 0.22));
		HPDF_Page_SetDash(pg, NULL, 0, 0);
		HPDF_Page_ShowText(pg, s);
		HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL);
		HPDF_Page_SetTextMatrix(pg, (HPDF_REAL)c, (HPDF_REAL)sn, (HPDF_REAL)-sn, (HPDF_REAL)c, (HPDF_REAL)x,
					(HPDF_REAL)y);
	}
	pdf_set_fill(pg, sh->fill == COLOUR_NONE ? NHS_TEXT : sh->fill);
	HPDF_Page_ShowText(pg, s);
	HPDF_Page_EndText(pg);
	free(s);
}

static void draw_circle(HPDF_Page pg, const shape *sh, const xform *t)
{
	int fill = sh->fill != COLOUR_NONE;
	if (!begin_paint(pg, sh, t, fill))
		return;
	HPDF_Page_Circle(pg, px(t, sh->x), py(t, sh->y), (HPDF_REAL)(sh->r * t->s));
	end_paint(pg, sh, fill);
}

/* Draws c at (x0, y0) scaled by s on pg. */
static void draw_chart(pdf_doc *d, HPDF_Page pg, const chart *c, double x0, double y0, double s)
{
	xform t = {x0, y0, s, HPDF_Page_GetHeight(pg)};
	HPDF_Page_GSave(pg);
	for (size_t i = 0; i < c->n; i++) {
		const shape *sh = &c->v[i];
		switch (sh->kind) {
		case SH_RECT: draw_rect(pg, sh, &t); break;
		case SH_LINE:
			if (sh->stroke != COLOUR_NONE) {
				stroke_style(pg, sh, &t);
				HPDF_Page_MoveTo(pg, px(&t, sh->x), py(&t, sh->y));
				HPDF_Page_LineTo(pg, px(&t, sh->x2), py(&t, sh->y2));
				HPDF_Page_Stroke(pg);
			}
			break;
		case SH_POLYLINE: draw_poly(pg, sh, &t); break;
		case SH_TEXT: draw_text(d, pg, sh, &t); break;
		case SH_CIRCLE: draw_circle(pg, sh, &t); break;
		}
	}
	HPDF_Page_SetDash(pg, NULL, 0, 0);
	HPDF_Page_GRestore(pg);
}

void pdf_chart_flow(pdf_doc *d, const chart *c, double max_h)
{
	double w = pdf_content_width(d), room = pdf_bottom() - PDF_MARGIN_TOP;
	if (max_h <= 0 || max_h > room)
		max_h = room;
	double s = w / c->width;
	if (c->height * s > max_h)
		s = max_h / c->height;
	double h = c->height * s;
	pdf_need(d, h + 6);
	draw_chart(d, pdf_page(d), c, PDF_MARGIN_X + (w - c->width * s) / 2, d->y, s);
	d->y += h + 6;
	d->fresh = 0;
}

void pdf_chart_landscape(pdf_doc *d, const chart *c, const char *heading, const char *caption)
{
	if (!d->npages || !d->fresh)
		pdf_new_page(d); /* else the empty page turns landscape */
	HPDF_Page pg = pdf_page(d);
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	double pw = HPDF_Page_GetWidth(pg), ph = HPDF_Page_GetHeight(pg);
	double w = pw - 2 * PDF_MARGIN_X, top = PDF_MARGIN_TOP - 8;
	if (heading) {
		pdf_toc_add(d, 1, heading, top);
		pdf_para p;
		pdf_para_init(&p, &(pdf_style){.size = 17, .leading = 22, .col = NHS_DARK_BLUE, .face = PF_BOLD,
					       .background = COLOUR_NONE});
		pdf_para_add(&p, heading, PF_BOLD, NHS_DARK_BLUE);
		top += pdf_place(d, pg, &p, PDF_MARGIN_X, top, w) + 2;
		pdf_para_free(&p);
		pdf_stroke_line(pg, PDF_MARGIN_X, top, PDF_MARGIN_X + w, top, NHS_BLUE, 1);
		top += 6;
	}
	if (caption) {
		pdf_para p;
		pdf_para_init(&p, &PDF_SMALL);
		pdf_para_add(&p, caption, PF_REGULAR, PDF_SMALL.col);
		top += pdf_place(d, pg, &p, PDF_MARGIN_X, top, w) + 6;
		pdf_para_free(&p);
	}
	double room = ph - top - PDF_MARGIN_BOTTOM;
	double s = fmin(w / c->width, room / c->height);
	draw_chart(d, pg, c, PDF_MARGIN_X + (w - c->width * s) / 2, top, s);
	/* The flow goes on on a new portrait page. */
	d->y = pdf_bottom() + 1;
	d->fresh = 0;
}
