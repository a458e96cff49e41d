/* PDF briefing packs: the templates under templates/packs/ rendered by the
 * PDF back-end. A template without a [param] gives one pack
 * (packs/brief.md -> packs/brief.pdf); packs/trust/[trust_code].md gives
 * one pack per Trust (packs/trust-RX1.pdf), and so on. The tree walk
 * mirrors the HTML renderer's and evaluates blocks through blocks.h, so a
 * pack shows the site's figures. Packs always follow the board audience
 * rules: aggregates only, small numbers suppressed. */
#ifndef MM_PACK_H
#define MM_PACK_H
#include <stdint.h>
#include "template/template.h"
#include "util/buf.h"

typedef struct pack_opts {
	const char *templates_dir; /* the folder holding packs/ */
	const char *version;       /* "MediMart 0.1.0" */
	const char *source;        /* what the data is, for the cover */
	int32_t date_days;         /* the documents' date */
	const char *warning;       /* data-quality warning for the covers; NULL for none */
	/* Which packs: NULL for all, else a comma-separated list of names:
	 * "brief" (a template without [param], by its file name), "trust" (one
	 * per Trust), "trust:RX101" (one Trust's). An unknown name is an input
	 * error naming the packs there are. */
	const char *select;
} pack_opts;

/* Called for every pack: path from the site root ("packs/brief.pdf"),
 * title, page count and bytes. */
typedef void (*pack_emit_fn)(void *ud, const char *path, const char *title, int pages, const buf *pdf);

/* Renders every pack for cat (which must be a board catalog), except the
 * packs of areas that have no pathway at all (a Trust or ICS of sites
 * with no referral), which would have nothing to say. Nothing is
 * emitted unless every pack template is valid. Returns 0, EXIT_INPUT after
 * printing "medimart: TEMPLATE:LINE:COL: error: ..." (or when there is no
 * packs/ folder), or EXIT_FAILED when a PDF cannot be produced. */
int packs_render(const tpl_catalog *cat, const pack_opts *o, pack_emit_fn emit, void *ud);

/* The file a pack template writes, from the site root: "packs/brief.pdf"
 * for rel "packs/brief.md" (folders joined with "-"), and for a templated
 * one "packs/trust-KEY.pdf" with the key made safe as for page names
 * (html_page_file). key is NULL for a template without [param]. Caller
 * frees. */
char *pack_output_path(const char *rel, const char *key);

/* The pack templates, parsed but not validated (rel "packs/..."), e.g. to
 * draw them in the lineage. Sets *out (caller frees each with tpl_free,
 * then the array) and returns how many. */
int packs_templates(const char *templates_dir, template ***out);

#endif
