/* The model pipeline behind run, test, docs, pack and build: find the
 * inputs, load the sources, derive the census, build models in DAG order
 * with their tests, write the target folder and, when every error-level
 * test passed, render the site and the packs. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check/check.h"
#include "cli/opts.h"
#include "load/load.h"
#include "registry/colineage.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "run/target.h"
#include "site/modeldoc.h"
#include "site/site.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/diag.h"

#ifndef MM_SHAREDIR
#define MM_SHAREDIR "/usr/local/share/medimart"
#endif

/* dir/name into out; 0, or -1 when it does not fit. */
static int path_join(char *out, size_t n, const char *dir, const char *name)
{
	int k = snprintf(out, n, "%s/%s", dir, name);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int has_file(const char *dir, const char *name)
{
	char p[4096];
	return dir && path_join(p, sizeof p, dir, name) == 0 && access(p, R_OK) == 0;
}

static int is_dir(const char *p)
{
	struct stat sb;
	return p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Where the tool's own seeds, rules and templates may be, in the order
 * they are looked for after the current folder:
 *   the source tree of the binary (BIN/..: build/medimart in a checkout),
 *   PREFIX/share/medimart beside PREFIX/bin (an install under any PREFIX
 *   or DESTDIR), then the compiled-in MM_SHAREDIR.
 * The README ("Where inputs are looked for") documents this. */
enum { HOME_TREE, HOME_SHARE, HOME_BUILTIN, HOME_COUNT };

static const char *home_dir(int which)
{
	static char dirs[HOME_COUNT][PATH_MAX];
	static int done;
	if (!done) {
		done = 1;
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
		if (slash) {
			*slash = '\0';
			char p[4096];
			/* realpath: the run names the folders it used without "..". */
			if (path_join(p, sizeof p, exe, "..") || !has_file(p, "templates/index.md") ||
			    !has_file(p, "data/comorbidities.csv") || !realpath(p, dirs[HOME_TREE]))
				dirs[HOME_TREE][0] = '\0';
			if (path_join(p, sizeof p, exe, "../share/medimart") || !is_dir(p) ||
			    !realpath(p, dirs[HOME_SHARE]))
				dirs[HOME_SHARE][0] = '\0';
		}
		snprintf(dirs[HOME_BUILTIN], sizeof dirs[0], "%s", MM_SHAREDIR);
	}
	return dirs[which][0] ? dirs[which] : NULL;
}

/* The first of ./sub and HOME/sub (in home_dir order) that holds probe.
 * Writes it into out and returns 0; otherwise lists what was tried into
 * tried and returns -1. */
static int look_up(const char *sub, const char *probe, char *out, size_t n, char *tried, size_t tn)
{
	size_t used = 0;
	tried[0] = '\0';
	for (int i = -1; i < HOME_COUNT; i++) {
		const char *home = i < 0 ? "." : home_dir(i);
		if (!home)
			continue;
		char cand[4096];
		if (i < 0)
			snprintf(cand, sizeof cand, "%s", sub);
		else if (path_join(cand, sizeof cand, home, sub))
			continue;
		if (probe ? has_file(cand, probe) : is_dir(cand)) {
			snprintf(out, n, "%s", cand);
			return 0;
		}
		int k = snprintf(tried + used, tn - used, "%s%s/", used ? ", " : "", cand);
		if (k > 0 && (size_t)k < tn - used)
			used += (size_t)k;
	}
	return -1;
}

/* The input folder when --data is not given: ./data, else the source
 * tree's data/ (so build/medimart runs from any folder); the first that
 * holds patients.csv, else the first that exists. */
static int find_data(char *out, size_t n)
{
	const char *tree = home_dir(HOME_TREE);
	char cand[2][2048];
	int nc = 0;
	snprintf(cand[nc++], sizeof cand[0], "data");
	if (tree && path_join(cand[nc], sizeof cand[0], tree, "data") == 0)
		nc++;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < nc; i++)
			if (pass ? is_dir(cand[i]) : has_file(cand[i], "patients.csv")) {
				snprintf(out, n, "%s", cand[i]);
				return 0;
			}
	diag(DIAG_ERROR, NULL, 0, 0, "no input folder: looked for ./data/%s%s%s; give --data DIR", tree ? " and " : "",
	     tree ? cand[1] : "", tree ? "/" : "");
	return -1;
}

/* Seeds and rules live beside the data when a team keeps its own copy,
 * else in ./data, the source tree's data/ or the installed share folder. */
static void seed_dir(const char *data, char *out, size_t n)
{
	char tried[8192];
	if (has_file(data, "comorbidities.csv"))
		snprintf(out, n, "%s", data);
	else if (look_up("data", "comorbidities.csv", out, n, tried, sizeof tried))
		snprintf(out, n, "%s", data); /* the loader names the missing seeds */
}

static int find_templates(const char *given, char *out, size_t n)
{
	if (given) {
		if (!has_file(given, "index.md") && !is_dir(given)) {
			diag(DIAG_ERROR, given, 0, 0, "--templates: not a folder of templates (no index.md)");
			return -1;
		}
		snprintf(out, n, "%s", given);
		return 0;
	}
	char tried[8192];
	if (look_up("templates", "index.md", out, n, tried, sizeof tried) == 0)
		return 0;
	diag(DIAG_ERROR, NULL, 0, 0, "no templates: looked for index.md in %s; give --templates DIR", tried);
	return -1;
}

static void dump_models(run_ctx *ctx, const int *sel)
{
	char b[64];
	for (int i = 0; i < model_total(); i++) {
		const mm_table *t = ctx->tables[i];
		if (!sel[i] || !t)
			continue;
		printf("== %s (%zu rows)\n", t->name, t->nrows);
		for (int c = 0; c < t->ncols; c++)
			printf("%s%s", c ? " | " : "", t->cols[c].name);
		putchar('\n');
		for (size_t r = 0; r < t->nrows && r < 10; r++) {
			for (int c = 0; c < t->ncols; c++)
				printf("%s%s", c ? " | " : "", tbl_fmt(t, c, r, b, sizeof b));
			putchar('\n');
		}
	}
}

/* Appends to b the name and the text of every file under dir, at any depth. */
static void read_tree(const char *dir, buf *b, int depth)
{
	DIR *d = depth < 8 ? opendir(dir) : NULL;
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096];
		if (path_join(p, sizeof p, dir, e->d_name))
			continue;
		if (is_dir(p)) {
			read_tree(p, b, depth + 1);
			continue;
		}
		buf_printf(b, "\n%s\n", e->d_name);
		FILE *f = fopen(p, "rb");
		char chunk[8192];
		for (size_t n; f && (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
			buf_put(b, chunk, n);
		if (f)
			fclose(f);
	}
	closedir(d);
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether word occurs in text as a whole identifier. */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || !ident_char(p[-1])) && !ident_char(p[n]))
			return 1;
	return 0;
}

/* Whether model m declares a text column named name. */
static int has_text_col(const model_def *m, const char *name, size_t n)
{
	for (int c = 0; c < m->ncols; c++)
		if (m->cols[c].type == T_STR && strlen(m->cols[c].name) == n && !strncmp(m->cols[c].name, name, n))
			return 1;
	return 0;
}

/* The models the site reads after the run, pinned so that the release
 * plan keeps them: every model whose name any template mentions (a
 * superset of what the templates query), stg_pathways (the packs' cover
 * figures read it by name, out/pdf/pack.c), every model that is not
 * patient-level (small), and, for a template parameter ([trust_code])
 * that no mart has as a text column, every model that has it (the pages
 * of that parameter list its values from one of them, query/entity.c).
 * Marts are always kept. The other models are released, their pages'
 * sample sections kept first (modeldoc_keep_sample). */
static void pin_site_reads(run_ctx *ctx, const char *templates)
{
	buf text = {0};
	buf_puts(&text, "");
	read_tree(templates, &text, 0);
	int n = model_total();
	for (int i = 0; i < n; i++) {
		const model_def *m = model_at(i);
		ctx->pinned[i] = !(m->flags & MODEL_PATIENT_LEVEL) || has_word(text.s, m->name) ||
				 !strcmp(m->name, "stg_pathways");
	}
	for (const char *p = strchr(text.s, '['); p; p = strchr(p + 1, '[')) {
		const char *q = p + 1;
		while (ident_char(*q))
			q++;
		size_t len = (size_t)(q - p - 1);
		if (*q != ']' || !len)
			continue;
		int in_mart = 0;
		for (int i = 0; i < n; i++)
			in_mart |= model_at(i)->layer == LAYER_MART && has_text_col(model_at(i), p + 1, len);
		for (int i = 0; i < n && !in_mart; i++)
			ctx->pinned[i] |= has_text_col(model_at(i), p + 1, len);
	}
	buf_free(&text);
}

/* Before a model is released in a publishing run: its page's sample. */
static void keep_page_sample(run_ctx *ctx, int i, void *clinical)
{
	modeldoc_keep_sample(ctx->tables[i], model_at(i), *(const int *)clinical);
}

int cmd_pipeline(const struct mm_opts *o)
{
	static const char *const verb_names[] = {"synth", "run", "test", "docs", "pack", "build"};
	double t0 = now_seconds();
	int publish = o->verb == VERB_DOCS || o->verb == VERB_BUILD || o->verb == VERB_PACK;
	int clinical = !strcmp(o->audience, "clinical");
	char datab[4096], seeds[4096], templates[4096], rules[4096];
	const char *data = o->data;
	if (!o->data_given) {
		if (find_data(datab, sizeof datab))
			return EXIT_INPUT;
		data = datab;
	}
	if (publish && find_templates(o->templates, templates, sizeof templates))
		return EXIT_INPUT;
	/* Reproducible builds: a malformed SOURCE_DATE_EPOCH is an error, not
	 * silently the census date (reproducible-builds.org specification). */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (publish && sde && (!*sde || strspn(sde, "0123456789") != strlen(sde) || strlen(sde) > 11 ||
			       atoll(sde) > 253402300799LL)) {
		diag(DIAG_ERROR, NULL, 0, 0,
		     "SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970 up to the year 9999", sde);
		return EXIT_INPUT;
	}
	seed_dir(data, seeds, sizeof seeds);
	if (!o->rules && path_join(rules, sizeof rules, seeds, "risk_rules.txt")) {
		diag(DIAG_ERROR, seeds, 0, 0, "path too long");
		return EXIT_INPUT;
	}
	const char *rules_path = o->rules ? o->rules : rules;
	progress("data %s/, seeds %s/, rules %s%s%s%s", data, seeds, rules_path, publish ? ", templates " : "",
		 publish ? templates : "", publish ? "/" : "");

	/* One run at a time per folder: a second fails at once rather than
	 * mixing its files with the first's. The locks go with the process. */
	if ((!o->no_target && dir_lock(o->target, "target") < 0) || (publish && dir_lock(o->out, "site") < 0))
		return EXIT_FAILED;

	sources s;
	run_ctx ctx = {0};
	test_report rep = {0};
	int sel[MM_MAX_MODELS] = {0};
	/* Only the columns something reads are stored (docs/data-contract.md). */
	load_reads reads;
	cl_source_reads(&reads);
	int rc = sources_load_read(&s, data, seeds, &reads);
	if (rc)
		goto out;
	ctx.src = &s;
	ctx.sp = &s.sp;
	ctx.plain_synthea = !s.st[SRC_WAITING_LIST].present;
	ctx.has_capacity = s.st[SRC_SESSIONS].present;
	ctx.target_dir = o->target;
	ctx.out_dir = o->out;
	ctx.census_given = o->census != DATE_NULL;
	ctx.census = ctx.census_given ? o->census : census_default(&s);
	if (ctx.census == DATE_NULL) {
		diag(DIAG_ERROR, data, 0, 0, "no dated activity to derive a census from; give --census YYYY-MM-DD");
		rc = EXIT_INPUT;
		goto out;
	}
	char census[16];
	date_fmt(ctx.census, census);
	progress("census %s (%s)%s", census, ctx.census_given ? "from --census" : "last month end in the data",
		 ctx.plain_synthea ? "; plain Synthea: pathways derived from elective procedures" : "");

	ctx.rules_path = rules_path;
	ctx.risk = risk_rules_load(ctx.rules_path);
	if (!ctx.risk) {
		rc = EXIT_INPUT;
		goto out;
	}
	risk_rules_apply_rtt(ctx.risk, &ctx.rtt);

	if (check_validate_registry()) {
		diag(DIAG_ERROR, NULL, 0, 0, "the model registry declares invalid tests or column roles");
		rc = EXIT_FAILED;
		goto out;
	}
	if (models_select(publish && o->verb != VERB_BUILD ? NULL : o->select, sel)) {
		rc = EXIT_INPUT;
		goto out;
	}
	unsigned flags = 0;
	if (o->verb != VERB_RUN)
		flags |= RUN_TESTS;
	if (o->verb == VERB_BUILD)
		flags |= RUN_SKIP_ON_FAIL;
	/* Tables are freed once nothing later reads them (docs/architecture.md,
	 * "When tables are released"). Sources: nothing after the models reads
	 * them but the failing rows of their checks, which keep theirs. Staging
	 * and intermediate models: --dump, --materialize all and --select read
	 * models after the run, so these keep every model; the site keeps what
	 * it reads (pin_site_reads). */
	flags |= RUN_RELEASE_SOURCES;
	if (!o->dump && !o->materialize_all && !o->select)
		flags |= RUN_RELEASE_MODELS;
	if (publish) {
		pin_site_reads(&ctx, templates);
		if (o->verb != VERB_PACK) {
			ctx.on_release = keep_page_sample;
			ctx.on_release_ud = &clinical;
		}
	}
	if (flags & RUN_TESTS)
		check_sources(&ctx, &rep);
	rc = models_run(&ctx, sel, flags, &rep);
	if (rc == EXIT_INPUT)
		goto out;
	/* Every failed error-level test counts, source checks included. */
	size_t failed = test_report_count(&rep, TS_FAIL);
	size_t warnings = test_report_count(&rep, TS_WARN);
	int complete = 1;
	for (int i = 0; i < model_total(); i++)
		complete &= model_built(&ctx, i);
	if (publish && !failed && complete && (rc = site_check_names(&ctx, &rep, templates, clinical)))
		goto out;
	if (!o->no_target) {
		rc = target_write(&ctx, sel, &rep, o->target, verb_names[o->verb], o->materialize_all);
		if (rc)
			goto out;
	}
	if (flags & RUN_TESTS)
		test_report_print(&rep, stdout, o->quiet);
	if (o->dump)
		dump_models(&ctx, sel);

	site_counts made = {0};
	int published = 0;
	if (publish && failed) {
		diag(DIAG_ERROR, o->out, 0, 0,
		     "nothing published: %zu error-level data test%s failed (FAIL lines above); "
		     "the site and packs already in %s/ are unchanged",
		     failed, failed == 1 ? "" : "s", o->out);
	} else if (publish) {
		int partial = 0;
		for (int i = 0; i < model_total(); i++)
			partial |= !model_built(&ctx, i);
		if (partial) {
			/* Only --select leaves models unbuilt without a failure. */
			diag(DIAG_NOTE, o->out, 0, 0,
			     "site and packs not rendered: --select %s built only some models, and every page "
			     "needs all of them; run build without --select to publish",
			     o->select ? o->select : "");
		} else if (o->verb == VERB_PACK) {
			rc = site_render_packs(&ctx, &rep, templates, o->out, o->packs, &made);
			if (rc)
				goto out;
			published = 1;
		} else {
			rc = site_render(&ctx, &rep, templates, o->out, clinical, &made);
			if (rc)
				goto out;
			published = 1;
		}
	}
	rc = failed ? EXIT_FAILED : 0;

	/* The closing line: what was written, and how long it took. */
	char what[1024] = "";
	size_t k = 0;
	if (!o->no_target)
		k += (size_t)snprintf(what + k, sizeof what - k, "target %s/", o->target);
	if (published && made.pages)
		k += (size_t)snprintf(what + k, sizeof what - k, "%ssite %s/ (%d pages, audience %s)", k ? ", " : "",
				      o->out, made.pages, o->audience);
	if (published && k < sizeof what)
		k += (size_t)snprintf(what + k, sizeof what - k, "%s%d pack%s in %s/packs/", k ? ", " : "", made.packs,
				      made.packs == 1 ? "" : "s", o->out);
	if (flags & RUN_TESTS)
		progress("%s in %.1f s: %s%s%s", failed ? "failed" : warnings ? "done with warnings" : "done",
			 now_seconds() - t0, *what ? "wrote " : "nothing written", what,
			 publish && !published ? "; nothing published" : "");
	else
		progress("done in %.1f s: %s%s", now_seconds() - t0, *what ? "wrote " : "nothing written", what);
out:
	test_report_free(&rep);
	modeldoc_kept_free();
	run_ctx_free(&ctx);
	sources_free(&s);
	return rc;
}
