/* The model pipeline behind run, test, docs, pack and build: load the
 * sources, derive the census, build models in DAG order with their tests,
 * write the target folder, render the site. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check/check.h"
#include "cli/opts.h"
#include "load/load.h"
#include "models/registry.h"
#include "models/risk_rules.h"
#include "models/target.h"
#include "render/site.h"
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
	return path_join(p, sizeof p, dir, name) == 0 && access(p, R_OK) == 0;
}

/* The installed share folder: PREFIX/share/medimart beside PREFIX/bin,
 * found from the running binary so an install under any PREFIX or
 * DESTDIR works; the compiled-in MM_SHAREDIR is the last resort. */
static const char *share_dir(void)
{
	static char dir[4096];
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (path_join(dir, sizeof dir, exe, "../share/medimart") == 0 &&
			    has_file(dir, "data/comorbidities.csv"))
				return dir;
		}
	}
	return MM_SHAREDIR;
}

/* Seeds and rules live beside the data when a team keeps its own copy,
 * else in the project's data/ folder, else where `make install` put them. */
static void seed_dir(const char *data, char *out, size_t n)
{
	if (has_file(data, "comorbidities.csv"))
		snprintf(out, n, "%s", data);
	else if (has_file("data", "comorbidities.csv"))
		snprintf(out, n, "data");
	else
		snprintf(out, n, "%s/data", share_dir());
}

static void templates_dir(char *out, size_t n)
{
	if (has_file("templates", "index.md"))
		snprintf(out, n, "templates");
	else
		snprintf(out, n, "%s/templates", share_dir());
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

int cmd_pipeline(const struct mm_opts *o)
{
	static const char *const verb_names[] = {"synth", "run", "test", "docs", "pack", "build"};
	char seeds[4096], templates[4096];
	seed_dir(o->data, seeds, sizeof seeds);
	templates_dir(templates, sizeof templates);
	sources s;
	run_ctx ctx = {0};
	test_report rep = {0};
	int sel[64] = {0};
	int rc = sources_load(&s, o->data, seeds);
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
		diag(DIAG_ERROR, o->data, 0, 0, "no dated activity to derive a census from; give --census YYYY-MM-DD");
		rc = EXIT_INPUT;
		goto out;
	}
	char census[16];
	date_fmt(ctx.census, census);
	progress("census %s (%s)%s", census, ctx.census_given ? "from --census" : "last month end in the data",
		 ctx.plain_synthea ? "; plain Synthea: pathways derived from elective procedures" : "");

	char rules[4096];
	if (!o->rules && path_join(rules, sizeof rules, seeds, "risk_rules.txt")) {
		diag(DIAG_ERROR, seeds, 0, 0, "path too long");
		rc = EXIT_INPUT;
		goto out;
	}
	ctx.rules_path = o->rules ? o->rules : rules;
	ctx.risk = risk_rules_load(ctx.rules_path);
	if (!ctx.risk) {
		rc = EXIT_INPUT;
		goto out;
	}
	risk_rules_apply_rtt(ctx.risk, &ctx.rtt);

	if (check_validate_registry()) {
		diag(DIAG_ERROR, NULL, 0, 0, "the model registry declares invalid tests");
		rc = EXIT_FAILED;
		goto out;
	}
	int publish = o->verb == VERB_DOCS || o->verb == VERB_BUILD || o->verb == VERB_PACK;
	if (models_select(publish && o->verb != VERB_BUILD ? NULL : o->select, sel)) {
		rc = EXIT_INPUT;
		goto out;
	}
	unsigned flags = 0;
	if (o->verb != VERB_RUN)
		flags |= RUN_TESTS;
	if (o->verb == VERB_BUILD)
		flags |= RUN_SKIP_ON_FAIL;
	if (flags & RUN_TESTS)
		check_sources(&ctx, &rep);
	rc = models_run(&ctx, sel, flags, &rep);
	if (rc == EXIT_INPUT)
		goto out;
	int failed = rc == EXIT_FAILED;
	if (o->verb == VERB_TEST || o->verb == VERB_BUILD)
		test_report_print(&rep, stdout);
	if (o->dump)
		dump_models(&ctx, sel);
	rc = target_write(&ctx, sel, &rep, o->target, verb_names[o->verb]);
	if (rc)
		goto out;
	if (publish) {
		int skipped = 0;
		for (int i = 0; i < model_total(); i++)
			skipped |= ctx.skipped[i] || !ctx.tables[i];
		if (skipped) {
			diag(DIAG_ERROR, o->out, 0, 0, "%s not rendered: models were skipped after failed tests",
			     o->verb == VERB_PACK ? "packs" : "site");
		} else if (o->verb == VERB_PACK) {
			rc = site_render_packs(&ctx, &rep, templates, o->out);
			if (rc)
				goto out;
			progress("packs written to %s/packs/", o->out);
		} else {
			rc = site_render(&ctx, &rep, templates, o->out, !strcmp(o->audience, "clinical"));
			if (rc)
				goto out;
			progress("site written to %s/ (audience: %s)", o->out, o->audience);
		}
	}
	rc = failed && o->verb != VERB_DOCS ? EXIT_FAILED : 0;
out:
	test_report_free(&rep);
	run_ctx_free(&ctx);
	sources_free(&s);
	return rc;
}
