/* PDF output device (libharu): A4 portrait documents with embedded
 * TrueType fonts and UTF-8 text, laid out as a flow of blocks that break
 * across pages: headings kept with what follows, word-wrapped paragraphs,
 * tables whose header repeats and whose rows never split, KPI tiles, and
 * charts drawn as vectors from the same shapes as the SVG back-end. A
 * cover, a table of contents, running headers and footers with "Page n of
 * N", bookmarks and the document info are added by pdf_finish().
 *
 * Use:
 *	pdf_doc *d = pdf_new(&info, NULL, err, sizeof err); // NULL: err says why
 *	pdf_heading(d, 1, "Executive summary", 70);       // kept with 70 pt below
 *	pdf_para p; pdf_para_init(&p, &PDF_BODY);
 *	pdf_para_add(&p, "The list holds ", PF_REGULAR, NHS_TEXT);
 *	pdf_para_add(&p, "5,091", PF_BOLD, NHS_TEXT);
 *	pdf_para_flow(d, &p); pdf_para_free(&p);
 *	buf out = {0};
 *	if (pdf_finish(d, &out, NULL, err, sizeof err)) ...;   // frees d
 *
 * Coordinates are points from the top-left of the page (y grows down).
 * Output is deterministic: the dates come from pdf_info, objects are
 * written in creation order. */
#ifndef MM_PDF_H
#define MM_PDF_H
#include <stddef.h>
#include <stdint.h>
#include "draw/chart.h"
#include "draw/palette.h"
#include "util/buf.h"

typedef enum pdf_face {
	PF_REGULAR, PF_BOLD, PF_ITALIC, /* DejaVu Sans: body text */
	PF_COND, PF_COND_BOLD,          /* DejaVu Sans Condensed: tables and charts */
	PF_NFACES
} pdf_face;

typedef struct pdf_info {
	const char *title;    /* document title, cover and running header */
	const char *subtitle; /* cover: e.g. the organisation's name */
	const char *subject;  /* document info */
	const char *org;      /* running header, right */
	const char *census;   /* "30 September 2025" */
	const char *audience; /* cover and footer, e.g. "Board: aggregate figures only" */
	const char *source;   /* cover: what the data is */
	const char *version;  /* "MediMart 0.1.0" */
	int32_t date_days;    /* creation date (days since 1970-01-01) */
	const char *warning;  /* cover: a data-quality warning box; NULL or "" for none */
	/* cover: a link to the accessible HTML version, relative to the PDF
	 * ("../trust/RX101.html"); NULL or "" for none. */
	const char *twin;
} pdf_info;

typedef struct pdf_doc pdf_doc;

/* A document with the fonts loaded from font_dir (NULL: the environment
 * variable MEDIMART_FONT_DIR, else /usr/share/fonts/truetype/dejavu).
 * Returns NULL with a message in err when a font cannot be read. */
pdf_doc *pdf_new(const pdf_info *info, const char *font_dir, char *err, size_t errn);
/* Adds the cover, contents and running headers and footers, writes the
 * document into out, its page count into *pages (may be NULL) and frees d. Returns 0, or -1 with a message in err. */
int pdf_finish(pdf_doc *d, buf *out, int *pages, char *err, size_t errn);
/* Frees d without writing it. */
void pdf_discard(pdf_doc *d);
/* The body pages drawn so far are front matter (a board cover sheet): they
 * go between the cover and the contents. Call at most once. */
void pdf_end_front_matter(pdf_doc *d);
/* Pages of the document so far (cover and contents not counted). */
int pdf_body_pages(const pdf_doc *d);

/* ---- Measuring ---- */

/* Width of the first n bytes of UTF-8 s in face at size, in points. */
double pdf_text_width(pdf_doc *d, pdf_face f, double size, const char *s, size_t n);
/* Width of the content box (between the margins). */
double pdf_content_width(const pdf_doc *d);

/* ---- Flow ---- */

typedef struct pdf_style {
	double size, leading;        /* font size and line height, points */
	double space_before, space_after;
	double indent;               /* left indent of every line */
	double hang;                 /* first line starts this much left of indent (bullets) */
	colour col;                  /* default text colour */
	pdf_face face;               /* default face */
	int bar;                     /* draw a coloured bar left of the text (notes, quotes) */
	colour bar_col;
	colour background;           /* COLOUR_NONE or a panel behind the lines (code) */
} pdf_style;

extern const pdf_style PDF_BODY, PDF_SMALL, PDF_CAPTION, PDF_CODE;

typedef struct pdf_run {
	char *text;
	pdf_face face;
	colour col;
	char *uri;     /* an absolute link (http:, https:, mailto:) or NULL */
} pdf_run;

typedef struct pdf_para {
	pdf_style st;
	pdf_run *v;
	size_t n, cap;
	char *bullet;  /* drawn in the hang of the first line ("•", "1."); owned */
} pdf_para;

void pdf_para_init(pdf_para *p, const pdf_style *st);
/* Appends text (copied; control characters and invalid UTF-8 are
 * replaced) in face and colour. */
void pdf_para_add(pdf_para *p, const char *text, pdf_face face, colour col);
/* Whether u is an absolute address a PDF link can open: http:, https: or
 * mailto:. */
int pdf_uri_absolute(const char *u);
/* The same for link text: underlined, and clickable when uri is an
 * absolute http:, https: or mailto: address (copied). */
void pdf_para_add_link(pdf_para *p, const char *text, pdf_face face, colour col, const char *uri);
void pdf_para_set_bullet(pdf_para *p, const char *bullet);
/* Whether p has any visible text. */
int pdf_para_empty(const pdf_para *p);
/* Lays p out at the cursor, breaking pages between lines. */
void pdf_para_flow(pdf_doc *d, const pdf_para *p);
/* Height p would take at the current width. */
double pdf_para_height(pdf_doc *d, const pdf_para *p);
void pdf_para_free(pdf_para *p);

/* A heading (level 1-3): kept on one page with at least keep points of
 * what follows; levels 1 and 2 go into the contents and the bookmarks. */
void pdf_heading(pdf_doc *d, int level, const char *text, double keep);
/* Moves the cursor down. */
void pdf_vspace(pdf_doc *d, double h);
/* Starts a new page unless the current one is empty. */
void pdf_page_break(pdf_doc *d);
/* Starts a new page unless h points fit below the cursor. */
void pdf_need(pdf_doc *d, double h);

/* ---- Tables ---- */

typedef struct pdf_table {
	int ncols;
	size_t nrows;
	const char *const *head;    /* ncols headings */
	const char *const *cells;   /* nrows * ncols, row-major; NULL cells are empty */
	const unsigned char *numeric; /* ncols flags: right-aligned */
	const char *caption;        /* above the table; "(continued)" is added on later pages; may be NULL */
} pdf_table;

/* Column widths from the content, header repeated on every page, rows
 * never split across pages. */
void pdf_table_flow(pdf_doc *d, const pdf_table *t);

/* ---- KPI tiles ---- */

typedef struct pdf_tile {
	const char *label, *value, *badge, *note; /* badge and note may be NULL */
	colour accent;                            /* bar and badge colour */
} pdf_tile;

/* Tiles three to a row; a row never splits across pages. */
void pdf_tiles_flow(pdf_doc *d, const pdf_tile *t, int n);

/* ---- Charts and diagrams ---- */

/* Draws c's shapes as vectors, scaled to the content width (and down to
 * at most max_h points high; 0: the page's content height), kept on one
 * page. */
void pdf_chart_flow(pdf_doc *d, const chart *c, double max_h);
/* Draws c on a page of its own in A4 landscape, as large as fits, under a
 * level-1 heading (in the contents) and a caption; either may be NULL.
 * What follows starts a new portrait page. */
void pdf_chart_landscape(pdf_doc *d, const chart *c, const char *heading, const char *caption);

#endif
