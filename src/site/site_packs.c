/* The PDF briefing packs as the site sees them: the data-quality warning
 * and the source line on their covers, the date stamped on them, packs
 * rendered alongside the site and kept with its files, and `medimart
 * pack`, which renders only the packs and swaps a new packs/ folder in
 * with one rename once every one of them has rendered. */
#include "site/site_impl.h"
#include "out/pdf/pack.h"
#include "run/target.h"
#include "util/diag.h"
#include "util/version.h"
#include "util/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Packs ---- */

char *site_warning_text(const test_report *rep)
{
	size_t n = rep ? test_report_count(rep, TS_WARN) : 0;
	if (!n)
		return NULL;
	buf b = {0};
	buf_printf(&b, "%zu data test%s gave a warning for this census: ", n, n == 1 ? "" : "s");
	size_t shown = 0;
	for (size_t i = 0; i < rep->n && shown < 3; i++) {
		const test_result *r = &rep->v[i];
		if (r->status != TS_WARN)
			continue;
		buf_printf(&b, "%s%s on %s", shown ? (shown + 1 == n || shown == 2 ? " and " : ", ") : "", r->name,
			   r->model);
		shown++;
	}
	if (n > shown)
		buf_printf(&b, ", and %zu more", n - shown);
	buf_puts(&b, ". The figures are published; check these before relying on them.");
	return b.s;
}

/* What the data is, for the page footer and the pack covers. */
const char *site_source_text(int plain_synthea, int has_capacity)
{
	return plain_synthea  ? "plain Synthea export, pathways derived from elective procedures"
	       : has_capacity ? "Synthea records with waiting-list, appointment and capacity tables"
			      : "Synthea records with waiting-list tables, no capacity plan";
}

int32_t site_pack_date(int32_t census)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (e && *e) {
		long long v = strtoll(e, &end, 10);
		if (!*end && v >= 0)
			return (int32_t)(v / 86400);
	}
	return census;
}

static void keep_pack(void *sv, const char *path, const char *title, int pages, const buf *pdf)
{
	site *s = sv;
	buf *b = site_out_add(&s->out, path);
	buf_put(b, pdf->s, pdf->n);
	s->packs = xrealloc(s->packs, (size_t)(s->npacks + 1) * sizeof *s->packs);
	s->packs[s->npacks++] = (html_pack){s->out.v[s->out.n - 1].path, xstrdup(title), pages, pdf->n};
}

int site_make_packs(site *s)
{
	/* A templates folder without packs/ (an older custom set) still
	 * gives a site; `medimart pack` on it is an error. */
	char *dir = site_strf("%s/packs", s->o->templates_dir);
	struct stat sb;
	int none = stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode);
	free(dir);
	if (none) {
		diag(DIAG_NOTE, s->o->templates_dir, 0, 0, "no packs/ folder: the site is built without PDF packs");
		return 0;
	}
	pack_opts po = {s->o->templates_dir, "MediMart " MM_VERSION, s->info.source,
			site_pack_date(s->cat->census), s->info.warning, NULL};
	return packs_render(s->cat, &po, keep_pack, s);
}

/* Packs are kept in memory and written only when every one rendered, so
 * a failure leaves the previous set in place rather than a mix. */
typedef struct pack_file {
	char *path, *title;
	int pages;
	buf pdf;
} pack_file;

typedef struct pack_files {
	pack_file *v;
	int n;
} pack_files;

static void keep_pack_file(void *ud, const char *path, const char *title, int pages, const buf *pdf)
{
	pack_files *pf = ud;
	pf->v = xrealloc(pf->v, (size_t)(pf->n + 1) * sizeof *pf->v);
	pack_file *f = &pf->v[pf->n++];
	f->path = xstrdup(path);
	f->title = xstrdup(title);
	f->pages = pages;
	memset(&f->pdf, 0, sizeof f->pdf);
	buf_put(&f->pdf, pdf->s, pdf->n);
}

/* `pack` with a subset keeps the other packs; a full set replaces every
 * PDF. Other files in packs/ are kept. */
static int keep_pack_old(const char *rel, void *ud)
{
	size_t n = strlen(rel);
	if ((n > 4 && !strcmp(rel + n - 4, ".tmp")) || strstr(rel, ".medimart-new"))
		return 0;
	return ud || !(n > 4 && !strcmp(rel + n - 4, ".pdf"));
}

/* A new packs/ folder beside the old one, swapped in with one rename. */
static int write_packs(const pack_files *pf, const char *out_dir, const char *select)
{
	for (int i = 0; i < pf->n; i++)
		if (!site_name_fits(pf->v[i].path)) {
			diag(DIAG_ERROR, out_dir, 0, 0, "nothing written: the file name %.60s... is too long", pf->v[i].path);
			return EXIT_INPUT;
		}
	char *packs = site_strf("%s/packs", out_dir);
	pub_dir pub;
	int rc = pub_begin(&pub, packs);
	for (int i = 0; i < pf->n && !rc; i++) {
		const pack_file *f = &pf->v[i];
		const char *name = strncmp(f->path, "packs/", 6) ? f->path : f->path + 6;
		char *full = site_strf("%s/%s", pub.tmp, name);
		char *slash = strrchr(full, '/');
		*slash = '\0';
		int bad = mkdirs(full);
		*slash = '/';
		if (bad || buf_write_file(&f->pdf, full)) {
			diag(DIAG_ERROR, full, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		} else
			progress("%s/%s: %s, %d pages, %zu KB", out_dir, f->path, f->title, f->pages, (f->pdf.n + 1023) / 1024);
		free(full);
	}
	if (!rc)
		rc = pub_commit(&pub, keep_pack_old, (void *)select);
	pub_end(&pub);
	free(packs);
	return rc;
}

int site_render_packs(run_ctx *ctx, const test_report *rep, const char *templates_dir, const char *out_dir,
		      const char *select, site_counts *made)
{
	tpl_catalog cat;
	run_tables rt;
	site_build_catalog(ctx, rep, 0, &cat, &rt);
	char *warning = site_warning_text(rep);
	pack_opts po = {templates_dir, "MediMart " MM_VERSION, site_source_text(ctx->plain_synthea, ctx->has_capacity),
			site_pack_date(ctx->census), warning, select};
	pack_files pf = {0};
	int rc = packs_render(&cat, &po, keep_pack_file, &pf);
	if (!rc)
		rc = write_packs(&pf, out_dir, select);
	if (!rc && made)
		made->packs = pf.n;
	free(warning);
	for (int i = 0; i < pf.n; i++) {
		free(pf.v[i].path);
		free(pf.v[i].title);
		buf_free(&pf.v[i].pdf);
	}
	free(pf.v);
	run_tables_free(&rt);
	tpl_catalog_free(&cat);
	return rc;
}
