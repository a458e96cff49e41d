/* Charts and diagrams, built once as a list of shapes in a fixed coordinate
 * space (a viewBox, default 960 x 400) and drawn by back-ends: chart_svg()
 * here, pdf_chart_flow() in src/pdf. Layout happens only here, so every
 * output shows the same picture.
 *
 * Use:
 *	chart_spec s;
 *	chart_spec_init(&s, CHART_BAR);           // target = interim = NAN, the rest 0
 *	s.x = "specialty"; s.y = NULL;            // y NULL: count rows
 *	s.title = "Overdue cases by specialty";
 *	chart *c = chart_build(&s, t, rows, nrows, err, sizeof err);
 *	if (!c) report(err);
 *	chart_svg(c, &out);                      // inline <svg>
 *	chart_data_table(c, &out);               // the same numbers as a <table>
 *	chart_free(c);
 */
#ifndef MM_CHART_H
#define MM_CHART_H
#include <stddef.h>
#include <stdint.h>
#include "core/table.h"
#include "draw/palette.h"
#include "util/buf.h"

/* ---- What to draw ------------------------------------------------------ */

typedef enum chart_kind { CHART_BAR, CHART_STACKED_BAR, CHART_LINE, CHART_HISTOGRAM, CHART_HEATMAP, CHART_SPC } chart_kind;
/* "bar", "stacked-bar", "line", "histogram", "heatmap", "spc" (an XmR
 * statistical process control chart, docs/spc.md). Returns 0, or -1
 * if s is unknown (*out untouched). */
int chart_kind_parse(const char *s, chart_kind *out);
const char *chart_kind_name(chart_kind k);

/* Order of categories (bar and heatmap columns, line categories). */
typedef enum chart_order {
	CHART_ORDER_AUTO,  /* dates and numbers ascending; text in order of first appearance in rows */
	CHART_ORDER_ROWS,  /* order of first appearance in rows */
	CHART_ORDER_VALUE, /* descending total, ties by label (byte order) */
	CHART_ORDER_LABEL, /* ascending label (numbers and dates by value) */
} chart_order;
/* "auto", "rows", "value", "label". Returns 0 or -1. */
int chart_order_parse(const char *s, chart_order *out);

typedef struct chart_spec {
	chart_kind kind;
	/* Column of categories or time (bar, stacked bar, line, heatmap
	 * columns), or of the values to bin (histogram: int or num). */
	const char *x;
	/* Numeric column summed per x [and series] (int, num or bool; a bool
	 * sums to a count of true). NULL counts rows (histogram: each row
	 * weighs 1). */
	const char *y;
	/* Optional column splitting series: stacked segments (required),
	 * grouped bars, one line each; for a heatmap the rows (required).
	 * More than 7 series: a stack keeps the 6 largest plus "Other", lines
	 * keep the 7 largest. */
	const char *series;
	const char *title, *x_label, *y_label; /* NULL: the column names */
	const char *series_label;              /* heading of the series (heatmap rows); NULL: the column name */
	double target;            /* dashed reference line (e.g. 92), NAN if none */
	const char *target_label; /* NULL: "Target <value><suffix>" */
	const char *suffix;       /* appended to value labels, e.g. "%" */
	int bins;                 /* histogram: wanted bins, rounded to a 1-2-5 width; 0 = automatic */
	double bin_width;         /* histogram: this exact bin width, bins starting at a multiple of it (0: from bins) */
	/* Optional bool column: rows where it is true hold a value withheld by
	 * disclosure control (1 to 7). Their y is ignored; a bar, bin or cell
	 * with only such rows is drawn as a dashed short bar marked "*", and "*"
	 * in the data table. */
	const char *suppressed;
	int limit;                /* max categories kept after ordering (bar, heatmap rows and columns); 0 = all */
	chart_order order;
	/* Optional "|"-separated labels that come first, in this order, e.g.
	 * "High|Medium|Low"; unlisted categories follow by order, unlisted
	 * series by label. */
	const char *x_order, *series_order;
	int horizontal;           /* bar / stacked bar: bars grow to the right, labels on the left */
	/* Element id prefix, unique within the page (used by aria-labelledby).
	 * NULL: derived from title and columns; set it when a page holds two
	 * charts with the same title and columns. */
	const char *id;
	/* Size of the viewBox; 0 for the default 960 x 400. Text keeps its
	 * size in these units, so a smaller box gives larger text when the
	 * chart is scaled to a page (the PDF packs use 680 x 360). */
	double width, height;
	/* spc: which way is better (1 higher, -1 lower; 0 reads as higher),
	 * and a second reference line, the interim target (NAN if none). */
	int better;
	double interim;
	const char *interim_label; /* NULL: "Interim target <value><suffix>" */
} chart_spec;

/* Zeroes *s and sets kind, target = interim = NAN. Always start from this. */
void chart_spec_init(chart_spec *s, chart_kind kind);

/* ---- Shapes ------------------------------------------------------------ */

typedef enum shape_kind { SH_RECT, SH_LINE, SH_POLYLINE, SH_TEXT, SH_CIRCLE } shape_kind;
typedef enum text_anchor { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END } text_anchor;

typedef struct shape {
	shape_kind kind;
	double x, y;       /* rect: top-left; line: start; circle: centre; text: anchor on the baseline */
	double w, h;       /* rect: size */
	double x2, y2;     /* line: end */
	double r;          /* circle: radius; rect: corner radius */
	double *pts;       /* polyline: npts (x, y) pairs; owned */
	size_t npts;
	int closed;        /* polyline: closed and filled (a polygon) */
	colour fill;       /* COLOUR_NONE for none (lines and open polylines never fill) */
	colour stroke;     /* COLOUR_NONE for none */
	double stroke_width;
	int dashed;
	char *text;        /* text: UTF-8, unescaped; owned */
	double size;       /* text: font size in user units */
	int bold;
	int halo;          /* text: white outline, legible over lines and bars */
	text_anchor anchor;
	double rotate;     /* text: degrees about (x, y), negative = anticlockwise */
	char *title;       /* optional tooltip / accessible name; owned */
	char *href;        /* optional link; consecutive shapes with the same href share one <a>; owned */
} shape;

/* The chart's numbers as a table, for chart_data_table(): cells are
 * already formatted. */
typedef struct chart_table {
	size_t nrows, ncols;   /* ncols counts the row-header column */
	char **head;           /* ncols headings */
	char **cells;          /* nrows * ncols, row-major; the first of a row is its header */
	unsigned char *numeric; /* ncols flags: right-aligned numbers */
} chart_table;

typedef struct chart {
	double width, height; /* viewBox */
	/* 0: the SVG scales to its container (width 100%). 1 (diagrams): drawn
	 * at width x height pixels so text stays legible; put it in a
	 * horizontally scrolling container. */
	int natural_size;
	char *id;             /* element id prefix */
	char *title;          /* accessible name; drawn at the top when the spec had one */
	char *desc;           /* text summary for screen readers */
	/* SPC charts: the variation and the assurance verdicts in words, for
	 * the page beside the chart (NULL for other kinds; assurance may be
	 * NULL when the chart was not assessed). */
	char *variation, *assurance;
	shape *v;
	size_t n, cap;
	chart_table data;
} chart;

/* ---- Building charts ----------------------------------------------------- */

/* Aggregates rows[0..nrows) of t (rows NULL: every row of t): the sum of y
 * per x [and series]; null x labels become "Not recorded", null y cells
 * are skipped. Lays the result out and returns its shapes. On an unknown
 * column, a column of the wrong type or too many categories returns NULL
 * with a one-line message in err. No rows gives a "No data" chart.
 * Caller frees with chart_free. */
chart *chart_build(const chart_spec *spec, const mm_table *t, const size_t *rows, size_t nrows, char *err,
		   size_t errn);
void chart_free(chart *c);

/* Draws c as an inline <svg> (viewBox, width 100%, role="img",
 * aria-labelledby its <title> and <desc>; role="group" when shapes are
 * links, which an image may not contain); every text escaped. */
void chart_svg(const chart *c, buf *out);
/* The chart's data as an accessible HTML <table> (caption = title), e.g.
 * for a <details> below the chart. */
void chart_data_table(const chart *c, buf *out);
/* c as a standalone SVG file: an XML declaration, then chart_svg() drawn
 * at its natural size. */
void chart_svg_document(const chart *c, buf *out);

/* ---- Diagrams (lineage.c) ------------------------------------------------ */

/* Left-to-right layered DAG of the model registry: columns of sources,
 * staging, intermediate and marts (a layer splits into sub-columns where
 * its models depend on each other); edges from upstream to model. With
 * focus (a model or source name) only its upstream and downstream closure
 * is drawn and it is highlighted; NULL draws everything. With href_prefix
 * non-NULL, model boxes link to "<prefix>models/<name>.html" and source
 * boxes to "<prefix>sources/<name>.html" (prefix "" or "../").
 * Returns NULL for an unknown focus. Caller frees with chart_free. */
chart *lineage_diagram(const char *focus, const char *href_prefix);

/* Something built from models that people use, drawn as a last column
 * right of the marts (like a dbt exposure): a site page or a PDF pack. */
enum { EXPOSURE_PAGE, EXPOSURE_PACK };
typedef struct lineage_exposure {
	const char *name;   /* e.g. "overdue", "trust/[trust_code]", "packs/board" */
	const char *href;   /* from the site root, e.g. "overdue.html"; NULL for no link */
	const char *const *models; /* names of the models (or sources) it reads */
	int nmodels;
	int kind;           /* EXPOSURE_PAGE or EXPOSURE_PACK */
} lineage_exposure;

/* lineage_diagram() with exposures ex[0..nex) as a fifth column; their
 * links are "<prefix><href>" when href_prefix is not NULL. Names a model
 * does not have are ignored. With a focus, only exposures in its closure
 * are drawn. Caller frees with chart_free. */
chart *lineage_diagram_ex(const char *focus, const char *href_prefix, const lineage_exposure *ex, int nex);

struct template;
/* Exposures of parsed templates t[0..n): one per template, reading the
 * models its blocks query (KPI blocks read kpi_summary). A template whose
 * rel starts with "packs/" is a pack with href "packs/<name>.pdf" (one
 * pack per entity: "downloads.html#briefing-packs", which lists them); others
 * are pages with href "<rel without .md>.html", or for a templated page
 * (trust/[trust_code].md) the folder's "trust/index.html". Templates with
 * no model are left out. Sets *out (caller frees with
 * lineage_exposures_free) and returns the count. */
int lineage_exposures_from_templates(const struct template *const *t, int n, lineage_exposure **out);
void lineage_exposures_free(lineage_exposure *ex, int n);

/* ER diagram of the source tables (datamodel*.c): boxes listing primary
 * and foreign key columns, edges from foreign key rows to key rows
 * (dashed: code lookups in seeds). Links as lineage_diagram(). Caller
 * frees with chart_free. */
chart *er_diagram(const char *href_prefix);
/* ER diagram of the whole data model: sources and seeds, staging models
 * and marts, each box listing its key columns (models: a column tested
 * unique, or a unique(a,b) model test, is a key; a ref(model.column) test
 * is a foreign key) and edges from each foreign key row to the key it
 * refers to (dashed: a code lookup or a ref() test of warning severity).
 * Orthogonal edges, routed between boxes; sized to print on A4 landscape.
 * Links as lineage_diagram(). Caller frees with chart_free. */
chart *data_model_diagram(const char *href_prefix);
/* The same with nextra more models, drawn after the registry's in their
 * layer (to test the layout with models still to come). */
struct model_def;
chart *data_model_diagram_with(const char *href_prefix, const struct model_def *const *extra, int nextra);

/* ---- Shape construction (for layouts and back-ends) --------------------- */

/* An empty chart of the given size; title may be NULL. Caller frees. */
chart *chart_new(double width, double height, const char *title);
/* Each returns the new shape, valid until the next add. */
shape *chart_rect(chart *c, double x, double y, double w, double h, colour fill);
shape *chart_line(chart *c, double x1, double y1, double x2, double y2, colour stroke, double width);
shape *chart_polyline(chart *c, const double *xy, size_t npts, colour stroke, double width);
shape *chart_text(chart *c, double x, double y, const char *s, double size, text_anchor a, colour fill);
shape *chart_circle(chart *c, double cx, double cy, double r, colour fill);
void shape_set_title(shape *s, const char *title);
void shape_set_href(shape *s, const char *href);
/* Sets the data table's shape: ncols headings (copied), nrows empty rows. */
void chart_table_init(chart_table *t, size_t nrows, size_t ncols, const char *const *head);
void chart_table_set(chart_table *t, size_t r, size_t c, const char *s);
/* Replaces c->desc (copied). */
void chart_set_desc(chart *c, const char *desc);

/* ---- Axis arithmetic and text (scale.c) ---------------------------------- */

#define AXIS_MAX_TICKS 32
typedef struct axis_ticks {
	double lo, hi, step; /* domain rounded out to whole steps */
	int n;               /* ticks lo, lo+step, ..., hi */
	double v[AXIS_MAX_TICKS];
	int decimals;        /* for labels: enough for step */
} axis_ticks;

/* Nice 1-2-5 step nearest to span / want intervals. */
double nice_step(double span, int want);
/* Ticks covering [lo, hi] with about want intervals (lo == hi is widened). */
void nice_ticks(double lo, double hi, int want, axis_ticks *out);
/* Fixed decimals with thousands separators, no locale: 12345.6 -> "12,345.6"
 * (decimals 1). NAN writes "". */
void fmt_number(double v, int decimals, char *out, size_t n);
/* Axis tick label: fmt_number, or millions as "7.5m" when every tick is. */
void fmt_tick(const axis_ticks *t, double v, char *out, size_t n);
/* A value's label: integers without decimals, others with one. */
void fmt_value(double v, char *out, size_t n);
/* "Sep 2025" (long) or "Sep 25"; "8 Sep 2025" / "8 Sep" for days. */
void fmt_month(int32_t day, int long_year, char *out, size_t n);
void fmt_day(int32_t day, int with_year, char *out, size_t n);
/* Estimated width of s in a Helvetica-like sans at size (user units). */
double text_width(const char *s, double size, int bold);
/* Copies s into out, cut at a character boundary with "…" so that it fits
 * maxw; returns 1 if it was cut. */
int text_fit(const char *s, double size, int bold, double maxw, char *out, size_t n);
/* Smallest k so that every k-th of labels slot apart leaves need units
 * per label (1 if they all fit). */
size_t label_step(double slot, double need);

#endif
