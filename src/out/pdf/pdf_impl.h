/* Internals shared by the PDF device's files: the document state and the
 * drawing primitives every block uses. */
#ifndef MM_PDF_IMPL_H
#define MM_PDF_IMPL_H
#include <hpdf.h>
#include "out/pdf/pdf.h"
#include <stdint.h>
#include "util/utf8.h"

#define PDF_PAGE_W 595.276
#define PDF_PAGE_H 841.89
#define PDF_MARGIN_X 51.0   /* 18 mm */
#define PDF_MARGIN_TOP 62.0 /* below the running header */
#define PDF_MARGIN_BOTTOM 56.0

typedef struct pdf_toc {
	int level;
	char *text;
	int page;   /* body page index */
	double y;
} pdf_toc;

struct pdf_doc {
	HPDF_Doc h;
	HPDF_Font font[PF_NFACES]; /* NULL until first used: see pdf_font() */
	char font_dir[4096];
	HPDF_Page *pages; /* body pages, in order */
	int npages, cap;
	int nfront;       /* body pages placed before the contents */
	double y;         /* cursor, from the top of the current page */
	int fresh;        /* nothing drawn on the current page yet */
	pdf_toc *toc;
	int ntoc, toccap;
	pdf_info info;    /* strings owned */
	unsigned char *used[PF_NFACES]; /* bitmaps of the characters drawn in each face, for its ToUnicode map */
	/* Advance widths of the Basic Multilingual Plane in each face, looked
	 * up once each (PDF_WIDTH_UNKNOWN until then): libharu finds a glyph
	 * by scanning the font's character map, and every line set measures
	 * its words character by character. */
	int32_t *width[PF_NFACES];
	HPDF_STATUS err;  /* first libharu error */
	HPDF_STATUS err_detail;
};

/* The face f, loaded on first use. */
HPDF_Font pdf_font(pdf_doc *d, pdf_face f);
/* The current page, started if there is none. */
HPDF_Page pdf_page(pdf_doc *d);
void pdf_new_page(pdf_doc *d);
/* Bottom of the content box, from the top. */
static inline double pdf_bottom(void) { return PDF_PAGE_H - PDF_MARGIN_BOTTOM; }

/* Primitives on page pg, top-down coordinates. */
void pdf_set_fill(HPDF_Page pg, colour c);
void pdf_set_stroke(HPDF_Page pg, colour c);
void pdf_draw_text(pdf_doc *d, HPDF_Page pg, double x, double y, pdf_face f, double size, colour c, const char *s,
		   size_t n);
void pdf_fill_rect(HPDF_Page pg, double x, double y, double w, double h, colour fill);
void pdf_stroke_line(HPDF_Page pg, double x1, double y1, double x2, double y2, colour c, double width);

/* Records a contents entry and bookmark at y on the current page. */
void pdf_toc_add(pdf_doc *d, int level, const char *text, double y);
/* Draws p wrapped to width w with its first line's top at (x, y) on pg,
 * outside the flow (pg NULL: only measures). Returns the height. */
double pdf_place(pdf_doc *d, HPDF_Page pg, const pdf_para *p, double x, double y, double w);

/* s with control characters dropped and invalid UTF-8 replaced. Caller frees. */
char *pdf_clean_text(const char *s);

/* ---- ToUnicode maps (cmap.c) ---- */

#define PDF_CODES 0x10000u /* the fonts are addressed with 16-bit codes */
/* Records the characters of the first n bytes of s as drawn in face f. */
void pdf_mark_used(pdf_doc *d, pdf_face f, const char *s, size_t n);
/* Appends to out a ToUnicode CMap mapping every code set in used (a
 * PDF_CODES-bit map; NULL for none) to the same Unicode character, with
 * bfrange lines only. */
void pdf_tounicode_cmap(const unsigned char *used, buf *out);
/* Replaces the ToUnicode stream of every loaded face with its map.
 * Returns 0, or -1 when libharu fails to write it. */
int pdf_write_tounicode(pdf_doc *d);

#endif
