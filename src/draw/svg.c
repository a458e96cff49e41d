/* SVG back-end for charts and diagrams, and the chart's data as an HTML
 * table. Every string that may come from data goes through buf_put_html;
 * numbers are written with integer arithmetic, independent of locale. */
#include "draw/chart.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A coordinate with at most one decimal: 12, 12.5, -3.2. */
static void put_num(buf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	long long t = llround(v * 10);
	if (t < 0) {
		buf_putc(b, '-');
		t = -t;
	}
	if (t % 10)
		buf_printf(b, "%lld.%lld", t / 10, t % 10);
	else
		buf_printf(b, "%lld", t / 10);
}

static void put_attr_num(buf *b, const char *name, double v)
{
	buf_printf(b, " %s=\"", name);
	put_num(b, v);
	buf_putc(b, '"');
}

static void put_colour(buf *b, const char *name, colour c)
{
	if (c == COLOUR_NONE)
		buf_printf(b, " %s=\"none\"", name);
	else
		buf_printf(b, " %s=\"#%06x\"", name, (unsigned)(c & 0xFFFFFF));
}

static void put_stroke(buf *b, const shape *s)
{
	if (s->stroke == COLOUR_NONE)
		return;
	put_colour(b, "stroke", s->stroke);
	if (s->stroke_width != 1)
		put_attr_num(b, "stroke-width", s->stroke_width);
	if (s->dashed)
		buf_puts(b, " stroke-dasharray=\"6 4\"");
}

/* Closes the element, with a <title> child when the shape has a tooltip. */
static void close_el(buf *b, const shape *s, const char *tag)
{
	if (!s->title) {
		buf_puts(b, "/>\n");
		return;
	}
	buf_puts(b, "><title>");
	buf_put_html(b, s->title);
	buf_printf(b, "</title></%s>\n", tag);
}

static void put_points(buf *b, const shape *s)
{
	buf_puts(b, " points=\"");
	for (size_t i = 0; i < s->npts; i++) {
		if (i)
			buf_putc(b, ' ');
		put_num(b, s->pts[2 * i]);
		buf_putc(b, ',');
		put_num(b, s->pts[2 * i + 1]);
	}
	buf_putc(b, '"');
}

static void put_shape(buf *b, const shape *s)
{
	static const char *const anchors[] = {"start", "middle", "end"};
	switch (s->kind) {
	case SH_RECT:
		buf_puts(b, "<rect");
		put_attr_num(b, "x", s->x);
		put_attr_num(b, "y", s->y);
		put_attr_num(b, "width", s->w);
		put_attr_num(b, "height", s->h);
		if (s->r > 0)
			put_attr_num(b, "rx", s->r);
		put_colour(b, "fill", s->fill);
		put_stroke(b, s);
		close_el(b, s, "rect");
		break;
	case SH_LINE:
		buf_puts(b, "<line");
		put_attr_num(b, "x1", s->x);
		put_attr_num(b, "y1", s->y);
		put_attr_num(b, "x2", s->x2);
		put_attr_num(b, "y2", s->y2);
		put_stroke(b, s);
		close_el(b, s, "line");
		break;
	case SH_POLYLINE: {
		const char *tag = s->closed ? "polygon" : "polyline";
		buf_printf(b, "<%s", tag);
		put_points(b, s);
		put_colour(b, "fill", s->closed ? s->fill : COLOUR_NONE);
		put_stroke(b, s);
		if (!s->closed)
			buf_puts(b, " stroke-linejoin=\"round\" stroke-linecap=\"round\"");
		close_el(b, s, tag);
		break;
	}
	case SH_CIRCLE:
		buf_puts(b, "<circle");
		put_attr_num(b, "cx", s->x);
		put_attr_num(b, "cy", s->y);
		put_attr_num(b, "r", s->r);
		put_colour(b, "fill", s->fill);
		put_stroke(b, s);
		close_el(b, s, "circle");
		break;
	case SH_TEXT:
		buf_puts(b, "<text");
		put_attr_num(b, "x", s->x);
		put_attr_num(b, "y", s->y);
		put_attr_num(b, "font-size", s->size);
		if (s->bold)
			buf_puts(b, " font-weight=\"bold\"");
		if (s->anchor != ANCHOR_START)
			buf_printf(b, " text-anchor=\"%s\"", anchors[s->anchor]);
		put_colour(b, "fill", s->fill);
		if (s->halo)
			buf_puts(b, " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
		if (s->rotate != 0) {
			buf_puts(b, " transform=\"rotate(");
			put_num(b, s->rotate);
			buf_putc(b, ' ');
			put_num(b, s->x);
			buf_putc(b, ' ');
			put_num(b, s->y);
			buf_puts(b, ")\"");
		}
		buf_putc(b, '>');
		buf_put_html(b, s->text ? s->text : "");
		if (s->title) {
			buf_puts(b, "<title>");
			buf_put_html(b, s->title);
			buf_puts(b, "</title>");
		}
		buf_puts(b, "</text>\n");
		break;
	}
}

static void svg(const chart *c, buf *out, int natural)
{
	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mm-chart\" viewBox=\"0 0 ");
	put_num(out, c->width);
	buf_putc(out, ' ');
	put_num(out, c->height);
	buf_putc(out, '"');
	if (natural) {
		/* A page may shrink a diagram to its column but never enlarge it:
		 * text drawn at 12 units should not grow past 12 pixels. */
		put_attr_num(out, "width", c->width);
		put_attr_num(out, "height", c->height);
		buf_puts(out, " style=\"max-width:");
		put_num(out, c->width);
		buf_puts(out, "px\"");
	} else {
		buf_puts(out, " width=\"100%\"");
	}
	/* A picture is one image to assistive technology; a diagram whose
	 * boxes are links is a group, so that its links stay reachable (an
	 * image may not contain interactive elements). */
	int links = 0;
	for (size_t i = 0; i < c->n && !links; i++)
		links = c->v[i].href != NULL;
	if (links) {
		buf_puts(out, " role=\"group\" aria-labelledby=\"");
		buf_put_html(out, c->id);
		buf_puts(out, "-title\" aria-describedby=\"");
	} else {
		buf_puts(out, " role=\"img\" aria-labelledby=\"");
		buf_put_html(out, c->id);
		buf_puts(out, "-title ");
	}
	buf_put_html(out, c->id);
	buf_puts(out, "-desc\" font-family=\"Frutiger, Arial, Helvetica, sans-serif\">\n<title id=\"");
	buf_put_html(out, c->id);
	buf_puts(out, "-title\">");
	buf_put_html(out, c->title);
	buf_puts(out, "</title>\n<desc id=\"");
	buf_put_html(out, c->id);
	buf_puts(out, "-desc\">");
	buf_put_html(out, c->desc);
	buf_puts(out, "</desc>\n");
	buf_puts(out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
	const char *open = NULL; /* href of the open <a>, shared by consecutive shapes */
	for (size_t i = 0; i < c->n; i++) {
		const shape *s = &c->v[i];
		if (open && (!s->href || strcmp(open, s->href) != 0)) {
			buf_puts(out, "</a>\n");
			open = NULL;
		}
		if (s->href && !open) {
			buf_puts(out, "<a href=\"");
			buf_put_html(out, s->href);
			buf_puts(out, "\">\n");
			open = s->href;
		}
		put_shape(out, s);
	}
	if (open)
		buf_puts(out, "</a>\n");
	buf_puts(out, "</svg>\n");
}

void chart_svg(const chart *c, buf *out)
{
	svg(c, out, c->natural_size);
}

void chart_svg_document(const chart *c, buf *out)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	svg(c, out, 1);
}

void chart_data_table(const chart *c, buf *out)
{
	const chart_table *t = &c->data;
	buf_puts(out, "<table class=\"mm-chart-data\">\n<caption>");
	buf_put_html(out, c->title);
	buf_puts(out, "</caption>\n");
	if (t->ncols && t->nrows) {
		buf_puts(out, "<thead><tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			buf_printf(out, "<th scope=\"col\"%s>", t->numeric[j] ? " class=\"num\"" : "");
			buf_put_html(out, t->head[j]);
			buf_puts(out, "</th>");
		}
		buf_puts(out, "</tr></thead>\n");
	}
	buf_puts(out, "<tbody>\n");
	if (!t->nrows)
		buf_printf(out, "<tr><td colspan=\"%zu\">No data</td></tr>\n", t->ncols ? t->ncols : 1);
	for (size_t i = 0; i < t->nrows; i++) {
		buf_puts(out, "<tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			const char *cell = t->cells[i * t->ncols + j];
			if (j == 0)
				buf_puts(out, "<th scope=\"row\">");
			else
				buf_printf(out, "<td%s>", t->numeric[j] ? " class=\"num\"" : "");
			buf_put_html(out, cell ? cell : "");
			buf_puts(out, j == 0 ? "</th>" : "</td>");
		}
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n</table>\n");
}
