/* The static site: every page of templates/ rendered to HTML (templated
 * pages once per Trust, ICS or specialty), the model and source
 * documentation, the downloads, and the stylesheet and script. */
#ifndef MM_SITE_H
#define MM_SITE_H
#include "check/check.h"
#include "registry/model.h"
#include "template/template.h"

/* What a render wrote, for the closing line of a run. */
typedef struct site_counts {
	int pages; /* HTML pages */
	int packs; /* PDF packs */
} site_counts;

/* Renders the site for ctx (every model built) into out_dir. clinical
 * selects the audience: 0 board (aggregates only, disclosure control),
 * 1 clinical (adds patient-level worklists, exact figures). Nothing is
 * written unless every template is valid; each file is written whole
 * (temporary file, then rename), and files a previous build wrote but
 * this one did not are removed. Returns 0, EXIT_INPUT after printing
 * "medimart: TEMPLATE:LINE:COL: error: ..." for a template error, or
 * EXIT_FAILED on a write error. */
int site_render(run_ctx *ctx, const test_report *rep, const char *templates_dir, const char *out_dir, int clinical,
		site_counts *made);

typedef struct site_opts {
	const char *templates_dir;
	const char *out_dir;
	const test_report *rep; /* data-test results for model pages; may be NULL */
	const sources *src;     /* load statistics for source pages; may be NULL */
	int model_docs;         /* write models/ and sources/ pages */
	int downloads;          /* write downloads/ CSV files */
	int packs;              /* write the PDF briefing packs into packs/ (board audience only) */
	const char *rules_path; /* the run's rules file, named on model pages; may be NULL */
	site_counts *made;      /* what was written; may be NULL */
} site_opts;

/* Renders only the PDF briefing packs of templates_dir/packs/ into
 * out_dir/packs/ (board audience), each file written whole. select names
 * the packs to render (see pack_opts; NULL for all). Returns as
 * site_render. */
int site_render_packs(run_ctx *ctx, const test_report *rep, const char *templates_dir, const char *out_dir,
		      const char *select, site_counts *made);

/* Before anything is written: the file name of every page and pack of an
 * entity ([param].md templates) fits the file system, and no two entities
 * make the same file name (RX 102 and RX_102). Returns 0, or EXIT_INPUT
 * after printing the value(s). */
int site_check_names(run_ctx *ctx, const test_report *rep, const char *templates_dir, int clinical);

/* The data-quality banner of the home page and the pack covers when data
 * tests gave warnings: how many, the first few by name, and where they are
 * listed. NULL when none did. Caller frees. */
char *site_warning_text(const test_report *rep);

/* The date stamped on the packs: SOURCE_DATE_EPOCH when it is set (for
 * reproducible builds), else the census date. */
int32_t site_pack_date(int32_t census);

/* The same for an explicit catalog (cat->clinical is the audience); used
 * by site_render and by the golden tests with hand-made tables. */
int site_render_catalog(const tpl_catalog *cat, const site_opts *o);

#endif
