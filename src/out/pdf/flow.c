/* The flow of blocks down the pages: paragraphs wrapped by measured
 * widths, headings kept with what follows, tables with repeated headers
 * and unsplit rows, KPI tiles. Nothing is drawn outside the margins: a
 * word wider than the line is broken between characters. */
#include "out/pdf/pdf_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const pdf_style PDF_BODY = {.size = 10, .leading = 14, .space_after = 6, .col = NHS_TEXT, .face = PF_REGULAR,
			    .background = COLOUR_NONE};
const pdf_style PDF_SMALL = {.size = 8.5, .leading = 11.5, .space_after = 6, .col = NHS_TEXT_SECONDARY,
			     .face = PF_REGULAR, .background = COLOUR_NONE};
const pdf_style PDF_CAPTION = {.size = 9.5, .leading = 12.5, .space_before = 4, .space_after = 4,
			       .col = NHS_TEXT, .face = PF_BOLD, .background = COLOUR_NONE};
const pdf_style PDF_CODE = {.size = 8.5, .leading = 11, .space_after = 6, .indent = 6, .col = NHS_TEXT,
			    .face = PF_COND, .background = NHS_PALE_GREY};

/* ---- Paragraph content ---- */

void pdf_para_init(pdf_para *p, const pdf_style *st)
{
	memset(p, 0, sizeof *p);
	p->st = *st;
}

void pdf_para_add(pdf_para *p, const char *text, pdf_face face, colour col)
{
	if (!text || !*text)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = (pdf_run){pdf_clean_text(text), face, col, NULL};
}

int pdf_uri_absolute(const char *u)
{
	return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) || !strncmp(u, "mailto:", 7);
}

void pdf_para_add_link(pdf_para *p, const char *text, pdf_face face, colour col, const char *uri)
{
	size_t n = p->n;
	pdf_para_add(p, text, face, col);
	if (p->n > n && uri && pdf_uri_absolute(uri))
		p->v[n].uri = pdf_clean_text(uri);
}

void pdf_para_set_bullet(pdf_para *p, const char *bullet)
{
	free(p->bullet);
	p->bullet = bullet ? pdf_clean_text(bullet) : NULL;
}

int pdf_para_empty(const pdf_para *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (strspn(p->v[i].text, " ") != strlen(p->v[i].text))
			return 0;
	return 1;
}

void pdf_para_free(pdf_para *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].text);
		free(p->v[i].uri);
	}
	free(p->v);
	free(p->bullet);
	memset(p, 0, sizeof *p);
}

/* ---- Line breaking ---- */

/* A piece of one run without spaces; sp: whitespace came before it. */
typedef struct atom {
	size_t run;
	size_t a, b;
	int sp;
	double w;
} atom;

typedef struct lines {
	atom *at;
	size_t nat;
	size_t *start; /* nlines + 1 atom indexes */
	size_t nlines;
} lines;

static void push_atom(pdf_doc *d, const pdf_para *p, atom **v, size_t *n, size_t *cap, atom a, double maxw)
{
	const pdf_run *r = &p->v[a.run];
	const char *s = r->text + a.a, *end = r->text + a.b;
	/* A piece wider than a line is cut into pieces that fit. */
	while (s < end) {
		const char *q = s, *cut = end;
		double w = 0;
		while (q < end) {
			const char *nx = q;
			utf8_next(&nx, end);
			double cw = pdf_text_width(d, r->face, p->st.size, q, (size_t)(nx - q));
			if (w + cw > maxw && q > s) {
				cut = q;
				break;
			}
			w += cw;
			q = nx;
		}
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 32;
			*v = xrealloc(*v, *cap * sizeof **v);
		}
		(*v)[(*n)++] = (atom){a.run, (size_t)(s - r->text), (size_t)(cut - r->text), a.sp, w};
		a.sp = 0;
		s = cut;
	}
}

static void break_lines(pdf_doc *d, const pdf_para *p, double width, lines *L)
{
	memset(L, 0, sizeof *L);
	size_t cap = 0;
	int pending = 0;
	for (size_t r = 0; r < p->n; r++) {
		const char *t = p->v[r].text;
		size_t i = 0, n = strlen(t);
		while (i < n) {
			if (t[i] == ' ') {
				pending = 1;
				i++;
				continue;
			}
			size_t j = i;
			while (j < n && t[j] != ' ')
				j++;
			push_atom(d, p, &L->at, &L->nat, &cap, (atom){r, i, j, pending, 0}, width);
			pending = 0;
			i = j;
		}
	}
	double space = pdf_text_width(d, p->st.face, p->st.size, " ", 1);
	L->start = xmalloc((L->nat + 2) * sizeof *L->start);
	/* wend[k]: the atom after the end of k's word. Found once, and the
	 * width of a word summed only until it overflows the line: one long
	 * word cut into many pieces no longer costs a scan of all its pieces
	 * for each line (a 10 MB name took over 600 s). */
	size_t *wend = xmalloc((L->nat + 1) * sizeof *wend);
	for (size_t k = L->nat; k-- > 0;)
		wend[k] = k + 1 < L->nat && !L->at[k + 1].sp ? wend[k + 1] : k + 1;
	size_t i = 0;
	while (i < L->nat) {
		size_t ls = i;
		double x = 0;
		L->start[L->nlines++] = ls;
		while (i < L->nat) {
			size_t j = wend[i];
			double sw = i > ls && L->at[i].sp ? space : 0;
			double ww = 0;
			for (size_t k = i; k < j && x + sw + ww <= width + 0.01; k++)
				ww += L->at[k].w;
			if (x + sw + ww <= width + 0.01) {
				x += sw + ww;
				i = j;
				continue;
			}
			if (i > ls)
				break;
			/* A word wider than the line: as many of its pieces as fit. */
			do {
				x += L->at[i].w;
				i++;
			} while (i < j && x + L->at[i].w <= width + 0.01);
			break;
		}
	}
	free(wend);
	L->start[L->nlines] = L->nat;
}

static void lines_free(lines *L)
{
	free(L->at);
	free(L->start);
}

static double para_width(const pdf_doc *d, const pdf_para *p)
{
	return pdf_content_width(d) - p->st.indent;
}

double pdf_para_height(pdf_doc *d, const pdf_para *p)
{
	lines L;
	break_lines(d, p, para_width(d, p), &L);
	double h = (double)(L.nlines ? L.nlines : 1) * p->st.leading + p->st.space_before + p->st.space_after;
	lines_free(&L);
	return h;
}

static void draw_line(pdf_doc *d, HPDF_Page pg, const pdf_para *p, const lines *L, size_t li, double x, double base)
{
	double space = pdf_text_width(d, p->st.face, p->st.size, " ", 1);
	for (size_t k = L->start[li]; k < L->start[li + 1]; k++) {
		const atom *a = &L->at[k];
		if (k > L->start[li] && a->sp)
			x += space;
		const pdf_run *r = &p->v[a->run];
		pdf_draw_text(d, pg, x, base, r->face, p->st.size, r->col, r->text + a->a, a->b - a->a);
		if (r->uri) {
			/* Underlined, with the space before it when the link goes on. */
			double u0 = k > L->start[li] && a->sp && L->at[k - 1].run == a->run ? x - space : x;
			pdf_stroke_line(pg, u0, base + 1.5, x + a->w, base + 1.5, r->col, 0.5);
			HPDF_REAL ph = HPDF_Page_GetHeight(pg);
			HPDF_Rect rc = {(HPDF_REAL)u0, ph - (HPDF_REAL)(base + 3), (HPDF_REAL)(x + a->w),
					ph - (HPDF_REAL)(base - p->st.size)};
			HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(pg, rc, r->uri);
			HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
		}
		x += a->w;
	}
}

void pdf_para_flow(pdf_doc *d, const pdf_para *p)
{
	lines L;
	break_lines(d, p, para_width(d, p), &L);
	const pdf_style *st = &p->st;
	if (!d->fresh || d->y > PDF_MARGIN_TOP)
		d->y += st->space_before;
	double x0 = PDF_MARGIN_X + st->indent;
	/* No orphan (a first line alone at the foot of a page) and no widow
	 * (a last line alone at the top of the next). */
	size_t fit = d->npages ? (size_t)fmax(0, floor((pdf_bottom() + 0.01 - d->y) / st->leading)) : L.nlines;
	size_t brk = SIZE_MAX;
	if (L.nlines > fit && L.nlines >= 2 && fit == 1 && !d->fresh)
		pdf_new_page(d);
	else if (L.nlines > fit && L.nlines - fit == 1 && fit >= 3)
		brk = fit - 1;
	for (size_t li = 0; li < L.nlines; li++) {
		if (li == brk || d->y + st->leading > pdf_bottom() + 0.01)
			pdf_new_page(d);
		HPDF_Page pg = pdf_page(d);
		double base = d->y + (st->leading - st->size) / 2 + st->size * 0.8;
		if (st->background != COLOUR_NONE)
			pdf_fill_rect(pg, x0 - 4, d->y, pdf_content_width(d) - st->indent + 4, st->leading, st->background);
		if (st->bar)
			pdf_fill_rect(pg, x0 - 10, d->y, 3, st->leading, st->bar_col);
		if (li == 0 && p->bullet)
			pdf_draw_text(d, pg, x0 - st->hang, base, st->face, st->size, st->col, p->bullet, strlen(p->bullet));
		draw_line(d, pg, p, &L, li, x0, base);
		d->y += st->leading;
		d->fresh = 0;
	}
	d->y += st->space_after;
	lines_free(&L);
}

/* ---- Headings and spacing ---- */

void pdf_vspace(pdf_doc *d, double h)
{
	if (!d->fresh)
		d->y += h;
}

void pdf_page_break(pdf_doc *d)
{
	if (d->npages && !d->fresh)
		pdf_new_page(d);
}

void pdf_need(pdf_doc *d, double h)
{
	pdf_page(d);
	if (!d->fresh && d->y + h > pdf_bottom())
		pdf_new_page(d);
}

void pdf_toc_add(pdf_doc *d, int level, const char *text, double y)
{
	if (d->ntoc == d->toccap) {
		d->toccap = d->toccap ? 2 * d->toccap : 16;
		d->toc = xrealloc(d->toc, (size_t)d->toccap * sizeof *d->toc);
	}
	d->toc[d->ntoc++] = (pdf_toc){level, pdf_clean_text(text), d->npages - 1, y};
}

void pdf_heading(pdf_doc *d, int level, const char *text, double keep)
{
	static const pdf_style hs[3] = {
		{.size = 17, .leading = 22, .space_before = 10, .space_after = 8, .col = NHS_DARK_BLUE, .face = PF_BOLD,
		 .background = COLOUR_NONE},
		{.size = 13, .leading = 17, .space_before = 10, .space_after = 4, .col = NHS_BLUE, .face = PF_BOLD,
		 .background = COLOUR_NONE},
		{.size = 10.5, .leading = 14, .space_before = 6, .space_after = 3, .col = NHS_TEXT, .face = PF_BOLD,
		 .background = COLOUR_NONE},
	};
	if (level < 1)
		level = 1;
	if (level > 3)
		level = 3;
	const pdf_style *st = &hs[level - 1];
	pdf_para p;
	pdf_para_init(&p, st);
	pdf_para_add(&p, text, st->face, st->col);
	pdf_need(d, pdf_para_height(d, &p) + keep);
	if (level <= 2)
		pdf_toc_add(d, level, text, d->y);
	pdf_para_flow(d, &p);
	if (level == 1)
		pdf_stroke_line(pdf_page(d), PDF_MARGIN_X, d->y - st->space_after + 2,
				PDF_MARGIN_X + pdf_content_width(d), d->y - st->space_after + 2, NHS_BLUE, 1);
	pdf_para_free(&p);
}

/* ---- Tables ---- */

#define T_SIZE 8.0
#define T_LEAD 10.5
#define T_PAD 3.5

/* Width of the widest word of s (its longest line when it cannot wrap). */
static double widest_word(pdf_doc *d, pdf_face f, const char *s)
{
	double best = 0;
	while (*s) {
		size_t k = strcspn(s, " ");
		double w = pdf_text_width(d, f, T_SIZE, s, k);
		best = w > best ? w : best;
		s += k;
		s += strspn(s, " ");
	}
	return best;
}

static void cell_para(pdf_para *p, const char *s, pdf_face f, colour c, double width)
{
	pdf_style st = {.size = T_SIZE, .leading = T_LEAD, .col = c, .face = f, .background = COLOUR_NONE};
	pdf_para_init(p, &st);
	pdf_para_add(p, s ? s : "", f, c);
	(void)width;
}

static size_t cell_lines(pdf_doc *d, const char *s, pdf_face f, double width, lines *L)
{
	pdf_para p;
	cell_para(&p, s, f, NHS_TEXT, width);
	break_lines(d, &p, width, L);
	pdf_para_free(&p);
	return L->nlines ? L->nlines : 1;
}

static void draw_cell(pdf_doc *d, HPDF_Page pg, const char *s, pdf_face f, colour c, double x, double y, double w,
		      int right)
{
	pdf_para p;
	cell_para(&p, s, f, c, w);
	lines L;
	break_lines(d, &p, w, &L);
	for (size_t li = 0; li < L.nlines; li++) {
		double lw = 0, space = pdf_text_width(d, f, T_SIZE, " ", 1);
		for (size_t k = L.start[li]; k < L.start[li + 1]; k++)
			lw += L.at[k].w + (k > L.start[li] && L.at[k].sp ? space : 0);
		double base = y + li * T_LEAD + (T_LEAD - T_SIZE) / 2 + T_SIZE * 0.8;
		draw_line(d, pg, &p, &L, li, right ? x + w - lw : x, base);
	}
	lines_free(&L);
	pdf_para_free(&p);
}

/* The face of a body cell: a text first column is bold (the row's name). */
static pdf_face cell_face(const pdf_table *t, int c)
{
	return c == 0 && !t->numeric[0] ? PF_COND_BOLD : PF_COND;
}

static void col_widths(pdf_doc *d, const pdf_table *t, double avail, double *w)
{
	double *nat = xcalloc((size_t)t->ncols, sizeof *nat), *min = xcalloc((size_t)t->ncols, sizeof *min);
	double sn = 0, sm = 0;
	for (int c = 0; c < t->ncols; c++) {
		const char *h = t->head[c] ? t->head[c] : "";
		nat[c] = pdf_text_width(d, PF_COND_BOLD, T_SIZE, h, strlen(h));
		min[c] = widest_word(d, PF_COND_BOLD, h);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			if (!s)
				continue;
			double cw = pdf_text_width(d, cell_face(t, c), T_SIZE, s, strlen(s));
			nat[c] = cw > nat[c] ? cw : nat[c];
			double ww = t->numeric[c] ? cw : widest_word(d, cell_face(t, c), s);
			min[c] = ww > min[c] ? ww : min[c];
		}
		nat[c] += 2 * T_PAD;
		min[c] += 2 * T_PAD;
		if (min[c] > avail * 0.5)
			min[c] = avail * 0.5; /* a very long word breaks between characters */
		if (nat[c] < min[c])
			nat[c] = min[c];
		sn += nat[c];
		sm += min[c];
	}
	if (sn <= avail) {
		/* Everything fits on one line: share the spare width out. */
		double extra = avail - sn;
		for (int c = 0; c < t->ncols; c++)
			w[c] = nat[c] + extra * nat[c] / sn;
	} else if (sm >= avail) {
		for (int c = 0; c < t->ncols; c++)
			w[c] = min[c] * avail / sm;
	} else {
		for (int c = 0; c < t->ncols; c++)
			w[c] = min[c] + (nat[c] - min[c]) * (avail - sm) / (sn - sm);
	}
	free(nat);
	free(min);
}

/* head: the header row, all bold; else a body row. */
static double row_height(pdf_doc *d, const pdf_table *t, const char *const *cells, int head, const double *w)
{
	size_t most = 1;
	for (int c = 0; c < t->ncols; c++) {
		lines L;
		size_t n = cell_lines(d, cells[c], head ? PF_COND_BOLD : cell_face(t, c), w[c] - 2 * T_PAD, &L);
		lines_free(&L);
		most = n > most ? n : most;
	}
	return (double)most * T_LEAD + 2 * T_PAD;
}

static void table_head(pdf_doc *d, const pdf_table *t, const double *w, double hh, int cont)
{
	HPDF_Page pg = pdf_page(d);
	if (t->caption) {
		pdf_para p;
		pdf_para_init(&p, &PDF_CAPTION);
		pdf_para_add(&p, t->caption, PF_BOLD, NHS_TEXT);
		/* A caption that ends in parentheses is not followed by more:
		 * "(1 = most deprived), continued". */
		size_t n = strlen(t->caption);
		if (cont)
			pdf_para_add(&p, n && t->caption[n - 1] == ')' ? ", continued" : " (continued)", PF_REGULAR,
				     NHS_TEXT_SECONDARY);
		pdf_para_flow(d, &p);
		pdf_para_free(&p);
		pg = pdf_page(d);
	}
	double x = PDF_MARGIN_X, total = 0;
	for (int c = 0; c < t->ncols; c++)
		total += w[c];
	pdf_fill_rect(pg, x, d->y, total, hh, NHS_BLUE);
	for (int c = 0; c < t->ncols; c++) {
		draw_cell(d, pg, t->head[c], PF_COND_BOLD, NHS_WHITE, x + T_PAD, d->y + T_PAD, w[c] - 2 * T_PAD,
			  t->numeric[c]);
		x += w[c];
	}
	d->y += hh;
	d->fresh = 0;
}

void pdf_table_flow(pdf_doc *d, const pdf_table *t)
{
	if (t->ncols <= 0)
		return;
	double avail = pdf_content_width(d);
	double *w = xcalloc((size_t)t->ncols, sizeof *w);
	col_widths(d, t, avail, w);
	double hh = row_height(d, t, t->head, 1, w);
	double caph = t->caption ? PDF_CAPTION.leading * 2 + PDF_CAPTION.space_before + PDF_CAPTION.space_after : 0;
	double first = t->nrows ? row_height(d, t, t->cells, 0, w) : 0;
	pdf_need(d, caph + hh + first);
	table_head(d, t, w, hh, 0);
	for (size_t r = 0; r < t->nrows; r++) {
		const char *const *cells = t->cells + r * (size_t)t->ncols;
		double rh = row_height(d, t, cells, 0, w);
		if (d->y + rh > pdf_bottom()) {
			pdf_new_page(d);
			table_head(d, t, w, hh, 1);
		}
		HPDF_Page pg = pdf_page(d);
		double x = PDF_MARGIN_X, total = 0;
		for (int c = 0; c < t->ncols; c++)
			total += w[c];
		if (r % 2)
			pdf_fill_rect(pg, x, d->y, total, rh, NHS_PALE_GREY);
		for (int c = 0; c < t->ncols; c++) {
			draw_cell(d, pg, cells[c], cell_face(t, c), NHS_TEXT, x + T_PAD, d->y + T_PAD, w[c] - 2 * T_PAD, t->numeric[c]);
			x += w[c];
		}
		pdf_stroke_line(pg, PDF_MARGIN_X, d->y + rh, PDF_MARGIN_X + total, d->y + rh, NHS_GRID, 0.4);
		d->y += rh;
	}
	d->y += 8;
	free(w);
}

/* ---- KPI tiles ---- */

#define TILE_GAP 8.0
#define TILE_PAD 7.0

static void tile_paras(const pdf_tile *t, pdf_para *lab, pdf_para *val, pdf_para *badge, pdf_para *note)
{
	pdf_para_init(lab, &(pdf_style){.size = 8.5, .leading = 11, .col = NHS_TEXT, .face = PF_BOLD,
					.background = COLOUR_NONE});
	pdf_para_add(lab, t->label, PF_BOLD, NHS_TEXT);
	pdf_para_init(val, &(pdf_style){.size = 18, .leading = 23, .col = NHS_TEXT, .face = PF_BOLD,
					.background = COLOUR_NONE});
	pdf_para_add(val, t->value, PF_BOLD, NHS_TEXT);
	pdf_para_init(badge, &(pdf_style){.size = 7.5, .leading = 10, .col = t->accent, .face = PF_BOLD,
					  .background = COLOUR_NONE});
	pdf_para_add(badge, t->badge, PF_BOLD, t->accent);
	pdf_para_init(note, &(pdf_style){.size = 7.5, .leading = 9.5, .col = NHS_TEXT_SECONDARY, .face = PF_REGULAR,
					 .background = COLOUR_NONE});
	pdf_para_add(note, t->note, PF_REGULAR, NHS_TEXT_SECONDARY);
}

double pdf_place(pdf_doc *d, HPDF_Page pg, const pdf_para *p, double x, double y, double w)
{
	lines L;
	break_lines(d, p, w, &L);
	if (pg)
		for (size_t li = 0; li < L.nlines; li++) {
			double base = y + li * p->st.leading + (p->st.leading - p->st.size) / 2 + p->st.size * 0.8;
			draw_line(d, pg, p, &L, li, x, base);
		}
	double h = (double)L.nlines * p->st.leading;
	lines_free(&L);
	return h;
}

static double tile_body(pdf_doc *d, const pdf_tile *t, double x, double y, double w, int draw)
{
	HPDF_Page pg = draw ? pdf_page(d) : NULL;
	pdf_para lab, val, badge, note;
	tile_paras(t, &lab, &val, &badge, &note);
	double h = TILE_PAD;
	h += pdf_place(d, pg, &lab, x, y + h, w) + 2;
	h += pdf_place(d, pg, &val, x, y + h, w);
	if (t->badge)
		h += pdf_place(d, pg, &badge, x, y + h, w) + 2;
	if (t->note)
		h += pdf_place(d, pg, &note, x, y + h, w);
	pdf_para_free(&lab);
	pdf_para_free(&val);
	pdf_para_free(&badge);
	pdf_para_free(&note);
	return h + TILE_PAD;
}

void pdf_tiles_flow(pdf_doc *d, const pdf_tile *t, int n)
{
	const int per = 3;
	double tw = (pdf_content_width(d) - (per - 1) * TILE_GAP) / per;
	for (int i = 0; i < n; i += per) {
		double rh = 0;
		for (int k = i; k < n && k < i + per; k++) {
			double h = tile_body(d, &t[k], 0, 0, tw - 2 * TILE_PAD - 4, 0);
			rh = h > rh ? h : rh;
		}
		pdf_need(d, rh + TILE_GAP);
		HPDF_Page pg = pdf_page(d);
		for (int k = i; k < n && k < i + per; k++) {
			double x = PDF_MARGIN_X + (k - i) * (tw + TILE_GAP);
			pdf_fill_rect(pg, x, d->y, tw, rh, NHS_PALE_GREY);
			pdf_fill_rect(pg, x, d->y, 4, rh, t[k].accent);
			tile_body(d, &t[k], x + 4 + TILE_PAD, d->y, tw - 2 * TILE_PAD - 4, 1);
		}
		d->y += rh + TILE_GAP;
		d->fresh = 0;
	}
	d->y += 4;
}
