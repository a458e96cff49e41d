/* The PDF document: fonts, pages, text primitives, and the finishing pass
 * that adds the cover, the contents, running headers and footers,
 * bookmarks and the document info. */
#include "out/pdf/pdf_impl.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libharu reports errors through a callback; the first one is kept and
 * turned into a message by pdf_finish. */
static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud)
{
	pdf_doc *d = ud;
	if (!d->err) {
		d->err = e;
		d->err_detail = detail;
	}
}

/* ---- UTF-8 ---- */

char *pdf_clean_text(const char *s)
{
	buf b = {0};
	buf_puts(&b, "");
	const char *end = s + strlen(s);
	while (s < end) {
		unsigned cp = utf8_next(&s, end);
		if (cp == '\t' || cp == '\n' || cp == '\r')
			cp = ' ';
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp > 0xFFFF)
			continue; /* the fonts are addressed with 16-bit codes */
		char t[4];
		buf_put(&b, t, utf8_encode(cp, t));
	}
	return b.s;
}

/* Text for the outline and the document info, which libharu writes in a
 * single-byte encoding: Windows-1252 where it has the character, else "?". */
static char *to_cp1252(const char *s)
{
	static const struct { unsigned cp; unsigned char b; } hi[] = {
		{0x20AC, 0x80}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94},
		{0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97}, {0x2026, 0x85},
	};
	size_t n = strlen(s);
	char *o = xmalloc(n + 1), *p = o;
	const char *end = s + n;
	while (s < end) {
		unsigned cp = utf8_next(&s, end);
		unsigned char c = '?';
		if (cp >= 0x20 && cp < 0x7F)
			c = (unsigned char)cp;
		else if (cp >= 0xA0 && cp <= 0xFF)
			c = (unsigned char)cp;
		else
			for (size_t i = 0; i < sizeof hi / sizeof hi[0]; i++)
				if (hi[i].cp == cp)
					c = hi[i].b;
		*p++ = (char)c;
	}
	*p = '\0';
	return o;
}

/* The document info is written as PDFDocEncoding, which agrees with
 * Latin-1 above 0xA0 but not with Windows-1252 below it. */
/* PDF strings from text (an outline entry, the document title) are cut
 * to PDF_TITLE_MAX bytes with "...": libharu refuses a string over 65,535
 * bytes and the whole pack fails with an error naming no input. The text
 * is single-byte here (to_cp1252, to_latin1), so any cut is clean. */
#define PDF_TITLE_MAX 1000

static char *clip_title(char *s)
{
	if (strlen(s) > PDF_TITLE_MAX)
		memcpy(s + PDF_TITLE_MAX - 3, "...", 4);
	return s;
}

static char *to_latin1(const char *s)
{
	char *o = to_cp1252(s);
	for (unsigned char *p = (unsigned char *)o; *p; p++)
		if (*p >= 0x80 && *p < 0xA0)
			*p = *p == 0x96 || *p == 0x97 ? '-' : *p == 0x91 || *p == 0x92 ? '\'' : '"';
	return o;
}

/* ---- Fonts ---- */

static const char *const font_files[PF_NFACES] = {
	[PF_REGULAR] = "DejaVuSans.ttf",          [PF_BOLD] = "DejaVuSans-Bold.ttf",
	[PF_ITALIC] = "DejaVuSans-Oblique.ttf",   [PF_COND] = "DejaVuSansCondensed.ttf",
	[PF_COND_BOLD] = "DejaVuSansCondensed-Bold.ttf",
};

HPDF_Font pdf_font(pdf_doc *d, pdf_face f)
{
	if (d->font[f])
		return d->font[f];
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", d->font_dir, font_files[f]);
	const char *name = HPDF_LoadTTFontFromFile(d->h, path, HPDF_TRUE);
	d->font[f] = name ? HPDF_GetFont(d->h, name, "UTF-8") : NULL;
	/* A failure is kept in d->err and reported by pdf_finish; meanwhile
	 * the regular face stands in. */
	return d->font[f] ? d->font[f] : d->font[PF_REGULAR];
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

pdf_doc *pdf_new(const pdf_info *info, const char *font_dir, char *err, size_t errn)
{
	if (!font_dir)
		font_dir = getenv("MEDIMART_FONT_DIR");
	if (!font_dir || !*font_dir)
		font_dir = "/usr/share/fonts/truetype/dejavu";
	for (int i = 0; i < PF_NFACES; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", font_dir, font_files[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			/* DejaVu Sans and Sans Bold are in fonts-dejavu-core; the
			 * oblique and condensed faces in fonts-dejavu-extra. */
			snprintf(err, errn, "%s: cannot read the font (Debian package %s: sh scripts/deps.sh installs it; "
					    "or set MEDIMART_FONT_DIR)", path,
				 i == PF_REGULAR || i == PF_BOLD ? "fonts-dejavu-core" : "fonts-dejavu-extra");
			return NULL;
		}
		fclose(f);
	}
	pdf_doc *d = xcalloc(1, sizeof *d);
	d->h = HPDF_New(on_error, d);
	if (!d->h) {
		free(d);
		snprintf(err, errn, "cannot start a PDF document");
		return NULL;
	}
	HPDF_SetCompressionMode(d->h, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d->h);
	snprintf(d->font_dir, sizeof d->font_dir, "%s", font_dir);
	/* Faces are loaded on first use: each embedded one adds about 90 KB. */
	if (!pdf_font(d, PF_REGULAR)) {
		snprintf(err, errn, "%s/%s: libharu cannot load this font (error 0x%04X)", font_dir,
			 font_files[PF_REGULAR], (unsigned)d->err);
		pdf_discard(d);
		return NULL;
	}
	d->info = *info;
	d->info.title = dup_or_empty(info->title);
	d->info.subtitle = dup_or_empty(info->subtitle);
	d->info.subject = dup_or_empty(info->subject);
	d->info.org = dup_or_empty(info->org);
	d->info.census = dup_or_empty(info->census);
	d->info.audience = dup_or_empty(info->audience);
	d->info.source = dup_or_empty(info->source);
	d->info.version = dup_or_empty(info->version);
	d->info.warning = dup_or_empty(info->warning);
	d->info.twin = dup_or_empty(info->twin);
	return d;
}

void pdf_discard(pdf_doc *d)
{
	if (!d)
		return;
	HPDF_Free(d->h);
	free(d->pages);
	for (int i = 0; i < d->ntoc; i++)
		free(d->toc[i].text);
	free(d->toc);
	free((char *)d->info.title);
	free((char *)d->info.subtitle);
	free((char *)d->info.subject);
	free((char *)d->info.org);
	free((char *)d->info.census);
	free((char *)d->info.audience);
	free((char *)d->info.source);
	free((char *)d->info.version);
	free((char *)d->info.warning);
	free((char *)d->info.twin);
	for (int i = 0; i < PF_NFACES; i++)
		free(d->used[i]);
	for (int i = 0; i < PF_NFACES; i++)
		free(d->width[i]);
	free(d);
}

void pdf_end_front_matter(pdf_doc *d)
{
	d->nfront = d->npages - (d->npages && d->fresh);
}

int pdf_body_pages(const pdf_doc *d)
{
	return d->npages;
}

#define PDF_BMP 0x10000
#define PDF_WIDTH_UNKNOWN INT32_MIN

double pdf_text_width(pdf_doc *d, pdf_face f, double size, const char *s, size_t n)
{
	const char *end = s + n;
	double units = 0;
	HPDF_Font font = pdf_font(d, f);
	int slot = d->font[f] ? (int)f : PF_REGULAR; /* the face that stands in, when f failed */
	if (!d->width[slot]) {
		d->width[slot] = xmalloc(PDF_BMP * sizeof *d->width[slot]);
		for (size_t k = 0; k < PDF_BMP; k++)
			d->width[slot][k] = PDF_WIDTH_UNKNOWN;
	}
	int32_t *w = d->width[slot];
	while (s < end) {
		uint32_t cp = utf8_next(&s, end);
		if (cp >= PDF_BMP) {
			units += HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
			continue;
		}
		if (w[cp] == PDF_WIDTH_UNKNOWN)
			w[cp] = HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
		units += w[cp];
	}
	return units * size / 1000.0;
}

double pdf_content_width(const pdf_doc *d)
{
	(void)d;
	return PDF_PAGE_W - 2 * PDF_MARGIN_X;
}

/* ---- Pages and primitives ---- */

void pdf_new_page(pdf_doc *d)
{
	HPDF_Page pg = HPDF_AddPage(d->h);
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	if (d->npages == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->pages = xrealloc(d->pages, (size_t)d->cap * sizeof *d->pages);
	}
	d->pages[d->npages++] = pg;
	d->y = PDF_MARGIN_TOP;
	d->fresh = 1;
}

HPDF_Page pdf_page(pdf_doc *d)
{
	if (!d->npages)
		pdf_new_page(d);
	return d->pages[d->npages - 1];
}

static double comp(colour c, int shift)
{
	return ((c >> shift) & 0xFF) / 255.0;
}

void pdf_set_fill(HPDF_Page pg, colour c)
{
	HPDF_Page_SetRGBFill(pg, (HPDF_REAL)comp(c, 16), (HPDF_REAL)comp(c, 8), (HPDF_REAL)comp(c, 0));
}

void pdf_set_stroke(HPDF_Page pg, colour c)
{
	HPDF_Page_SetRGBStroke(pg, (HPDF_REAL)comp(c, 16), (HPDF_REAL)comp(c, 8), (HPDF_REAL)comp(c, 0));
}

void pdf_draw_text(pdf_doc *d, HPDF_Page pg, double x, double y, pdf_face f, double size, colour c, const char *s,
		   size_t n)
{
	if (n == 0)
		return;
	char *t = xstrndup(s, n);
	pdf_mark_used(d, f, t, n);
	pdf_set_fill(pg, c);
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, pdf_font(d, f), (HPDF_REAL)size);
	HPDF_Page_TextOut(pg, (HPDF_REAL)x, HPDF_Page_GetHeight(pg) - (HPDF_REAL)y, t);
	HPDF_Page_EndText(pg);
	free(t);
}

void pdf_fill_rect(HPDF_Page pg, double x, double y, double w, double h, colour fill)
{
	pdf_set_fill(pg, fill);
	HPDF_Page_Rectangle(pg, (HPDF_REAL)x, HPDF_Page_GetHeight(pg) - (HPDF_REAL)(y + h), (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Fill(pg);
}

void pdf_stroke_line(HPDF_Page pg, double x1, double y1, double x2, double y2, colour c, double width)
{
	pdf_set_stroke(pg, c);
	HPDF_Page_SetLineWidth(pg, (HPDF_REAL)width);
	HPDF_REAL ph = HPDF_Page_GetHeight(pg);
	HPDF_Page_MoveTo(pg, (HPDF_REAL)x1, ph - (HPDF_REAL)y1);
	HPDF_Page_LineTo(pg, (HPDF_REAL)x2, ph - (HPDF_REAL)y2);
	HPDF_Page_Stroke(pg);
}

/* ---- Finishing ---- */

#define TOC_FIRST_Y (PDF_MARGIN_TOP + 48)
#define TOC_LINE 18.0

static int toc_per_page(void)
{
	return (int)((pdf_bottom() - TOC_FIRST_Y) / TOC_LINE);
}

/* Text cut to fit maxw, with an ellipsis. Caller frees. */
static char *fit(pdf_doc *d, pdf_face f, double size, const char *s, double maxw)
{
	size_t n = strlen(s);
	if (pdf_text_width(d, f, size, s, n) <= maxw)
		return xstrdup(s);
	const char *end = s + n, *p = s, *ok = s;
	while (p < end) {
		const char *q = p;
		utf8_next(&q, end);
		if (pdf_text_width(d, f, size, s, (size_t)(q - s)) + pdf_text_width(d, f, size, "…", 3) > maxw)
			break;
		ok = p = q;
	}
	char *o = xmalloc((size_t)(ok - s) + 4);
	memcpy(o, s, (size_t)(ok - s));
	memcpy(o + (ok - s), "…", 4);
	return o;
}

static void draw_cover(pdf_doc *d, HPDF_Page pg)
{
	const pdf_info *in = &d->info;
	double x = PDF_MARGIN_X, w = PDF_PAGE_W - 2 * PDF_MARGIN_X;
	pdf_para title, sub;
	pdf_para_init(&title, &(pdf_style){.size = 26, .leading = 32, .col = NHS_WHITE, .face = PF_BOLD,
					   .background = COLOUR_NONE});
	pdf_para_add(&title, in->title, PF_BOLD, NHS_WHITE);
	pdf_para_init(&sub, &(pdf_style){.size = 16, .leading = 21, .col = NHS_WHITE, .face = PF_REGULAR,
					 .background = COLOUR_NONE});
	pdf_para_add(&sub, in->subtitle, PF_REGULAR, NHS_WHITE);
	/* The blue band grows with a long title or subtitle. */
	double th = pdf_place(d, NULL, &title, x, 0, w), sh = *in->subtitle ? pdf_place(d, NULL, &sub, x, 0, w) : 0;
	double band = fmax(300, 170 + th + 8 + sh + 36);
	pdf_fill_rect(pg, 0, 0, PDF_PAGE_W, band, NHS_BLUE);
	pdf_draw_text(d, pg, x, 70, PF_BOLD, 16, NHS_WHITE, "MediMart", 8);
	pdf_draw_text(d, pg, x, 90, PF_REGULAR, 11, NHS_WHITE, "Elective care waiting list", 26);
	pdf_place(d, pg, &title, x, 170, w);
	if (*in->subtitle)
		pdf_place(d, pg, &sub, x, 170 + th + 8, w);
	pdf_para_free(&title);
	pdf_para_free(&sub);
	struct { const char *k, *v; } facts[] = {
		{"Census", in->census}, {"Audience", in->audience}, {"Data", in->source}, {"Produced by", in->version},
	};
	double y = band + 60;
	/* The values start past the widest label. */
	double kw = pdf_text_width(d, PF_BOLD, 10.5, "Accessible version", 18) + 12;
	for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		if (!*facts[i].v)
			continue;
		pdf_draw_text(d, pg, x, y, PF_BOLD, 10.5, NHS_TEXT_SECONDARY, facts[i].k, strlen(facts[i].k));
		char *v = fit(d, PF_REGULAR, 10.5, facts[i].v, w - kw);
		pdf_draw_text(d, pg, x + kw, y, PF_REGULAR, 10.5, NHS_TEXT, v, strlen(v));
		free(v);
		y += 22;
	}
	if (*in->twin) {
		/* The accessible version of this pack on the site: a link (a
		 * relative address, resolved against the PDF's own) under the
		 * facts. */
		static const char k[] = "Accessible version";
		pdf_draw_text(d, pg, x, y, PF_BOLD, 10.5, NHS_TEXT_SECONDARY, k, sizeof k - 1);
		char *v = fit(d, PF_REGULAR, 10.5, in->twin, w - kw);
		double vw = pdf_text_width(d, PF_REGULAR, 10.5, v, strlen(v));
		pdf_draw_text(d, pg, x + kw, y, PF_REGULAR, 10.5, NHS_BLUE, v, strlen(v));
		pdf_stroke_line(pg, x + kw, y + 2, x + kw + vw, y + 2, NHS_BLUE, 0.5);
		HPDF_Rect r = {(HPDF_REAL)(x + kw), (HPDF_REAL)(PDF_PAGE_H - y - 4), (HPDF_REAL)(x + kw + vw),
			       (HPDF_REAL)(PDF_PAGE_H - y + 11)};
		HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(pg, r, in->twin);
		HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		free(v);
		y += 22;
	}
	if (*in->warning) {
		/* Published with warnings: a pale yellow box with a warm yellow
		 * rule on its left, as the site's home-page banner. */
		pdf_para p;
		pdf_para_init(&p, &(pdf_style){.size = 10, .leading = 14, .col = NHS_TEXT, .face = PF_REGULAR,
					       .background = COLOUR_NONE});
		pdf_para_add(&p, "Data-quality warning. ", PF_BOLD, NHS_TEXT);
		pdf_para_add(&p, in->warning, PF_REGULAR, NHS_TEXT);
		double top = y + 10, pad = 10, bw = w - 2 * pad - 4;
		double h = pdf_place(d, NULL, &p, x + 4 + pad, 0, bw);
		pdf_fill_rect(pg, x, top, w, h + 2 * pad, 0xFFF4D6u);
		pdf_fill_rect(pg, x, top, 4, h + 2 * pad, NHS_WARM_YELLOW);
		pdf_place(d, pg, &p, x + 4 + pad, top + pad, bw);
		pdf_para_free(&p);
	}
	pdf_stroke_line(pg, x, pdf_bottom() - 40, x + w, pdf_bottom() - 40, NHS_BORDER, 0.5);
	static const char note[] = "Every figure in this document is computed from the data by the MediMart models.";
	pdf_draw_text(d, pg, x, pdf_bottom() - 24, PF_REGULAR, 8.5, NHS_TEXT_SECONDARY, note, sizeof note - 1);
}

static void header_footer(pdf_doc *d, HPDF_Page pg, int no, int total)
{
	const pdf_info *in = &d->info;
	double pw = HPDF_Page_GetWidth(pg), ph = HPDF_Page_GetHeight(pg); /* landscape pages too */
	double x = PDF_MARGIN_X, w = pw - 2 * PDF_MARGIN_X, yh = 34;
	char *left = fit(d, PF_REGULAR, 8, in->title, w * 0.7);
	pdf_draw_text(d, pg, x, yh, PF_REGULAR, 8, NHS_TEXT_SECONDARY, left, strlen(left));
	free(left);
	char right[512];
	snprintf(right, sizeof right, "Census %s", in->census);
	char *r = fit(d, PF_REGULAR, 8, right, w * 0.43);
	double rw = pdf_text_width(d, PF_REGULAR, 8, r, strlen(r));
	pdf_draw_text(d, pg, x + w - rw, yh, PF_REGULAR, 8, NHS_TEXT_SECONDARY, r, strlen(r));
	free(r);
	pdf_stroke_line(pg, x, yh + 6, x + w, yh + 6, NHS_BLUE, 0.75);
	double yf = ph - 30;
	pdf_stroke_line(pg, x, yf - 12, x + w, yf - 12, NHS_BORDER, 0.5);
	char foot[512];
	snprintf(foot, sizeof foot, "MediMart · %s", in->audience);
	char *f = fit(d, PF_REGULAR, 8, foot, w * 0.7);
	pdf_draw_text(d, pg, x, yf, PF_REGULAR, 8, NHS_TEXT_SECONDARY, f, strlen(f));
	free(f);
	char num[64];
	snprintf(num, sizeof num, "Page %d of %d", no, total);
	double nw = pdf_text_width(d, PF_BOLD, 8, num, strlen(num));
	pdf_draw_text(d, pg, x + w - nw, yf, PF_BOLD, 8, NHS_TEXT, num, strlen(num));
}

/* The page number printed on body page i: the front matter follows the
 * cover, the ntp contents pages follow the front matter. */
static int body_no(const pdf_doc *d, int ntp, int i)
{
	return 2 + i + (i < d->nfront ? 0 : ntp);
}

static void draw_toc(pdf_doc *d, HPDF_Page *tp, int ntp, HPDF_Destination *dest)
{
	double x = PDF_MARGIN_X, w = PDF_PAGE_W - 2 * PDF_MARGIN_X;
	int per = toc_per_page();
	for (int i = 0; i < d->ntoc; i++) {
		HPDF_Page pg = tp[i / per];
		if (i % per == 0) {
			const char *h = i ? "Contents (continued)" : "Contents";
			pdf_draw_text(d, pg, x, PDF_MARGIN_TOP + 22, PF_BOLD, 20, NHS_DARK_BLUE, h, strlen(h));
		}
		const pdf_toc *t = &d->toc[i];
		double y = TOC_FIRST_Y + (i % per) * TOC_LINE;
		double ind = t->level == 1 ? 0 : 16;
		pdf_face f = t->level == 1 ? PF_BOLD : PF_REGULAR;
		char num[16];
		snprintf(num, sizeof num, "%d", body_no(d, ntp, t->page));
		double nw = pdf_text_width(d, f, 10.5, num, strlen(num));
		char *text = fit(d, f, 10.5, t->text, w - ind - nw - 30);
		double tw = pdf_text_width(d, f, 10.5, text, strlen(text));
		pdf_draw_text(d, pg, x + ind, y, f, 10.5, NHS_TEXT, text, strlen(text));
		pdf_draw_text(d, pg, x + w - nw, y, f, 10.5, NHS_TEXT, num, strlen(num));
		/* Dot leaders between the entry and its page number. */
		double dw = pdf_text_width(d, PF_REGULAR, 10.5, ".", 1) * 2;
		for (double dx = x + ind + tw + 8; dx + dw < x + w - nw - 6; dx += dw)
			pdf_draw_text(d, pg, dx, y, PF_REGULAR, 10.5, NHS_BORDER, ".", 1);
		HPDF_Rect r = {(HPDF_REAL)x, (HPDF_REAL)(PDF_PAGE_H - y - 4), (HPDF_REAL)(x + w),
			       (HPDF_REAL)(PDF_PAGE_H - y + 11)};
		HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(pg, r, dest[i]);
		HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		free(text);
	}
}

int pdf_finish(pdf_doc *d, buf *out, int *pages, char *err, size_t errn)
{
	if (!d->npages)
		pdf_new_page(d);
	/* The cover goes before the first body page, the contents after the
	 * front matter (all of the body when it is all front matter). */
	int per = toc_per_page();
	int ntp = d->ntoc ? (d->ntoc + per - 1) / per : 0;
	if (d->nfront > d->npages)
		d->nfront = d->npages;
	HPDF_Page cover = HPDF_InsertPage(d->h, d->pages[0]);
	HPDF_Page_SetSize(cover, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	HPDF_Page *tp = xcalloc((size_t)(ntp ? ntp : 1), sizeof *tp);
	for (int i = 0; i < ntp; i++) {
		tp[i] = d->nfront < d->npages ? HPDF_InsertPage(d->h, d->pages[d->nfront]) : HPDF_AddPage(d->h);
		HPDF_Page_SetSize(tp[i], HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	}
	int total = 1 + ntp + d->npages;
	if (pages)
		*pages = total;
	draw_cover(d, cover);
	HPDF_Destination *dest = xcalloc((size_t)(d->ntoc ? d->ntoc : 1), sizeof *dest);
	HPDF_Encoder enc = HPDF_GetEncoder(d->h, "WinAnsiEncoding");
	HPDF_Outline parent = NULL;
	for (int i = 0; i < d->ntoc; i++) {
		const pdf_toc *t = &d->toc[i];
		dest[i] = HPDF_Page_CreateDestination(d->pages[t->page]);
		HPDF_Destination_SetFitH(dest[i], HPDF_Page_GetHeight(d->pages[t->page]) - (HPDF_REAL)(t->y - 4));
		char *title = clip_title(to_cp1252(t->text));
		HPDF_Outline o = HPDF_CreateOutline(d->h, t->level == 1 ? NULL : parent, title, enc);
		free(title);
		HPDF_Outline_SetDestination(o, dest[i]);
		HPDF_Outline_SetOpened(o, HPDF_FALSE);
		if (t->level == 1)
			parent = o;
	}
	draw_toc(d, tp, ntp, dest);
	for (int i = 0; i < ntp; i++)
		header_footer(d, tp[i], 2 + d->nfront + i, total);
	for (int i = 0; i < d->npages; i++)
		header_footer(d, d->pages[i], body_no(d, ntp, i), total);
	HPDF_SetPageMode(d->h, d->ntoc ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);

	char *title = clip_title(to_latin1(d->info.title)), *subject = clip_title(to_latin1(d->info.subject));
	char *creator = clip_title(to_latin1(d->info.version));
	HPDF_SetInfoAttr(d->h, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(d->h, HPDF_INFO_SUBJECT, subject);
	HPDF_SetInfoAttr(d->h, HPDF_INFO_AUTHOR, "MediMart");
	HPDF_SetInfoAttr(d->h, HPDF_INFO_CREATOR, creator);
	free(title);
	free(subject);
	free(creator);
	int y, m, dd;
	civil_from_days(d->info.date_days, &y, &m, &dd);
	HPDF_Date date = {y, m, dd, 0, 0, 0, 'Z', 0, 0};
	HPDF_SetInfoDateAttr(d->h, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(d->h, HPDF_INFO_MOD_DATE, date);
	free(dest);
	free(tp);

	int rc = 0;
	if (!d->err && pdf_write_tounicode(d) == 0 && HPDF_SaveToStream(d->h) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(d->h);
		char *bytes = xmalloc(size ? size : 1);
		HPDF_UINT32 got = size;
		HPDF_ResetStream(d->h);
		HPDF_ReadFromStream(d->h, (HPDF_BYTE *)bytes, &got);
		buf_put(out, bytes, got);
		free(bytes);
		if (got != size)
			rc = -1;
	} else
		rc = -1;
	if (rc)
		snprintf(err, errn, "libharu error 0x%04X (detail %u) while writing the PDF", (unsigned)d->err,
			 (unsigned)d->err_detail);
	pdf_discard(d);
	return rc;
}
