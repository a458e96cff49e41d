/* Internals shared by the chart files: aggregation (chart_agg.c), layout
 * helpers (chart_axes.c) and the layouts of each kind (chart_bars.c for
 * category axes, chart_lines.c for time and number axes). */
#ifndef MM_CHART_IMPL_H
#define MM_CHART_IMPL_H
#include "draw/chart.h"
#include "util/buf.h"

#define CW 960.0 /* default viewBox: about the width of the content column, so text keeps its size */
#define CH 400.0
#define PAD 16.0
#define FS 12.0 /* labels and ticks */
#define FS_VALUE 11.0
#define FS_TITLE 16.0
#define MAX_KEYS 100000 /* distinct x or series values scanned before giving up */
#define MAX_CATS 200    /* bars or heatmap columns drawn */
#define MAX_HEAT_ROWS 100
#define MAX_POINTS 5000
#define MAX_BINS 200
#define NOT_RECORDED "Not recorded"

extern const char *const chart_kind_words[]; /* "Bar chart", ... by chart_kind */

/* ---- Aggregation (chart_agg.c) ---- */

/* A category or a series. */
typedef struct item {
	char *label;  /* owned */
	double key;   /* days for dates, the value for numbers; NAN for text and null */
	int isnull;
	size_t first; /* position of its first row */
	double total;
	int lpos;     /* place in the spec's order list; INT_MAX if unlisted */
	double k1;    /* sort key of the chosen order */
	size_t old;   /* index at scan time */
} item;

typedef struct agg {
	item *cat, *ser;
	size_t ncat, nser;
	size_t cat_all, ser_all; /* distinct values before limits */
	double *val;             /* ncat x nser, row-major; NAN = no value */
	unsigned char *star;     /* ncat x nser: no value, but a suppressed one ("*") */
	size_t nstar;            /* starred cells */
	int x_date, x_monthly, x_numeric;
} agg;

/* Scans the rows into a->cat x a->ser sums, ordered and limited as the spec
 * says. Returns 0, or -1 with a message in err (a may then hold partial
 * results: free it). */
int ch_agg_build(agg *a, const chart_spec *s, const mm_table *t, const size_t *rows, size_t nrows, int xc, int yc,
		 int sc, int pc, char *err, size_t errn);
void ch_agg_free(agg *a);
static inline double cell(const agg *a, size_t ci, size_t si)
{
	return a->val[ci * a->nser + si];
}
static inline int starred(const agg *a, size_t ci, size_t si)
{
	return a->star[ci * a->nser + si];
}
/* Whether row r of t holds a suppressed value (pc: the spec's column, or -1). */
static inline int row_suppressed(const mm_table *t, int pc, size_t r)
{
	return pc >= 0 && !tbl_isnull(t, pc, r) && tbl_value(t, pc, r) != 0;
}

/* ---- Layout state and helpers (chart_axes.c) ---- */

typedef struct lay {
	chart *c;
	const chart_spec *s;
	double top;             /* first free y under the title and legend */
	double x0, y0, x1, y1;  /* plot area */
	axis_ticks vt;          /* value axis */
	int dec;                /* decimals of value labels */
} lay;

static inline double vy(const lay *L, double v)
{
	return L->y1 - (v - L->vt.lo) / (L->vt.hi - L->vt.lo) * (L->y1 - L->y0);
}

static inline double vx(const lay *L, double v)
{
	return L->x0 + (v - L->vt.lo) / (L->vt.hi - L->vt.lo) * (L->x1 - L->x0);
}

/* How category labels go under a band axis. */
typedef struct cat_axis {
	int rotated;
	size_t step;   /* label every step-th category */
	double maxw;   /* label width limit */
	double height; /* space under the plot */
} cat_axis;

/* Decimals for values up to big in magnitude: none when all are whole
 * numbers, two below 1 (shares), else one. extra (e.g. the target) counts
 * unless NAN. */
int ch_value_decimals(const double *v, size_t n, double extra);
/* Axis and legend titles: the labels given, else the column names. */
const char *ch_x_title(const chart_spec *s);
const char *ch_y_title(const chart_spec *s);
const char *ch_series_title(const chart_spec *s);
/* Text that fits maxw, with the full text as its tooltip when cut. */
shape *ch_fitted_text(chart *c, double x, double y, const char *s, double size, int bold, double maxw,
		      text_anchor a, colour fill);
/* A value as labelled throughout this chart: L->dec decimals, the suffix. */
void ch_value_text(const lay *L, double v, char *out, size_t n);
/* Each of these draws and moves L->top down past what it drew. */
void ch_draw_title(lay *L);
/* Series keys (line: line swatches) and, when star is not NULL and a has
 * withheld values, a "*" key saying so. */
void ch_draw_legend(lay *L, const agg *a, int line, const char *star);
colour ch_series_colour(const lay *L, const agg *a, size_t si); /* by label: palette_category() */
double ch_tick_width(const axis_ticks *t, const chart_spec *s); /* widest tick label */
int ch_want_ticks(double px);                                   /* tick count for px of axis */
void ch_draw_vgrid(lay *L); /* value axis on the left, horizontal gridlines */
void ch_draw_hgrid(lay *L); /* value axis underneath, vertical gridlines */
void ch_draw_axis_titles(lay *L, const char *xt, const char *yt);
void ch_target_label(const lay *L, char *out, size_t n);
/* Dashed reference line at the target across the plot (vertical_axis:
 * the values run up the y axis). */
void ch_draw_target(lay *L, int vertical_axis);
/* Horizontal, thinned or rotated (and truncated) labels for slot units
 * per category. */
cat_axis ch_plan_cat_axis(char *const *labels, size_t n, double slot);
void ch_draw_cat_labels(lay *L, char *const *labels, const double *centre, size_t n, const cat_axis *ax, double y,
			double slot);
void ch_no_data(lay *L);
/* A value of 1 to 7 withheld by disclosure control: a dashed short bar of
 * series colour col at the zero line, across [p, p + band) of the category
 * axis, marked "*"; what names the bar in the tooltip. */
#define STAR_TIP "1 to 7, not shown to protect privacy"
void ch_draw_star(lay *L, double p, double band, colour col, const char *what, int horizontal);
/* " N values of 1 to 7 are not shown (marked *)." when n > 0. */
void ch_describe_stars(buf *d, size_t n);
char **ch_cat_labels(const agg *a); /* borrowed labels; caller frees the array */
/* The data table from the matrix (transpose: series as rows). */
void ch_table_from_agg(chart *c, const agg *a, const lay *L, int transpose);
/* Summary sentences for <desc>. */
void ch_describe_extremes(buf *d, const agg *a, const lay *L, size_t si, const char *what);
void ch_describe_common(buf *d, const lay *L, const agg *a);
void ch_series_list(buf *d, const agg *a);

/* ---- Layouts of the kinds ---- */

/* chart_bars.c */
void ch_layout_bars(lay *L, const agg *a, int stacked);
void ch_layout_heatmap(lay *L, const agg *a);
/* chart_lines.c; the histogram bins the rows itself */
void ch_layout_line(lay *L, const agg *a);
void ch_layout_histogram(lay *L, const mm_table *tb, const size_t *rows, size_t nrows, int xc, int yc, int pc);
/* chart_spc.c: one series over months, as an XmR chart */
void ch_layout_spc(lay *L, const agg *a);

#endif
