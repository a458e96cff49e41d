/* Internals shared by the data-model diagram's files: datamodel.c (the
 * entities and the chart), datamodel_layout.c (columns, routing, the
 * legend's place) and datamodel_draw.c (boxes, edges, legend). Not for
 * use outside src/draw/. */
#ifndef MM_DATAMODEL_IMPL_H
#define MM_DATAMODEL_IMPL_H
#include "draw/chart.h"
#include "registry/model.h"

#define PAD 12.0
#define TEXT_X 7.0   /* text inset in a box */
#define FS 12.0      /* table and column names */
#define HEAD_H 19.0
#define ROW_H 14.0
#define MAX_ROWS 24
#define NBAND 4
#define HEAD_BASE 10.0 /* a band's heading: baseline above its first box */

/* ---- The entities and their relationships ---- */

enum { ROLE_PK = 1, ROLE_FK = 2, ROLE_REF = 4 }; /* REF: referenced, but not a declared key */

typedef struct erow {
	char name[64];
	int role;
} erow;

typedef struct ebox {
	const char *name;
	int band;          /* 0 sources and seeds, 1 staging, 2 intermediate, 3 marts */
	int model, src;    /* registry (or extra model) or source index; -1 if not */
	const model_def *def; /* the model's declaration; NULL for sources */
	int depth;         /* longest chain of references to boxes of its own band */
	int col;
	double x, y, w, h;
	erow row[MAX_ROWS];
	int nrow;
} ebox;

typedef struct erel {
	int child, crow, parent, prow; /* box and row indexes */
	int dashed;                    /* a code lookup, or a ref() test of warning severity */
	int net;                       /* edges to one key with one style share lanes and tracks */
	char *title;                   /* owned */
	/* Route: a, b the left and right end (a->col <= b->col). */
	int a, b, ka, kb;              /* ka, kb: the vertical channel used at each end */
	double ya, yb, ypass;          /* ypass: NAN when no passage is needed */
	int lane_a, lane_b;
	double pts[12];
	int npts;
} erel;

typedef struct emodel {
	ebox *box;
	int nbox;
	/* Per band: the column of its heading, and the heading's baseline when
	 * the band starts below another band's boxes in that column (else NAN). */
	int head_col[NBAND];
	double head_y[NBAND];
	double leg_x, leg_y, leg_w; /* the legend: left, first baseline, width */
	erel *rel;
	int nrel;
	int skipped; /* ref() tests whose parent is not drawn */
} emodel;

/* Headings of the bands, by layer (datamodel_draw.c). */
extern const char *const er_band_heading[NBAND];

/* Lays out m in the candidate arrangement that prints largest, with its
 * legend (m->leg_*); returns the size of the whole drawing
 * (datamodel_layout.c). */
void er_layout(emodel *m, const int *bands, int nbands, int models, double top, double *width, double *height);

/* ---- Drawing (datamodel_draw.c) ---- */

void er_draw_edges(chart *c, const emodel *m);
void er_draw_box(chart *c, const ebox *b, const char *href_prefix);
/* The key: line styles, the layers' colours, bold keys; items flow in
 * lines of at most maxw from x0, the first line's baseline at y. With c
 * NULL it only measures. Returns the last line's baseline; *widest is
 * the widest item. */
double er_draw_legend(chart *c, double x0, double y, double maxw, const int *bands, int nbands, int models,
		      double *widest);

#endif
