/* The release plan: which tables a run may free before its end, and when.
 * A table is freed once every reader still to come has run: the models
 * that list it upstream and the tests that ref() it. What reads after the
 * models (the target folder, the test failures, the site) keeps its tables
 * by pinning them (docs/architecture.md, "When tables are released"). */
#ifndef MM_RELEASE_H
#define MM_RELEASE_H
#include "check/check.h"
#include "registry/model.h"

/* What a run may release, chosen by the caller. */
enum {
	RELEASE_SOURCES = 1, /* source tables (never seeds) */
	RELEASE_MODELS = 2,  /* staging and intermediate models (never marts) */
};

/* A table slot: model i is i, source s is MM_MAX_MODELS + s. */
#define RELEASE_SLOTS (MM_MAX_MODELS + SRC_COUNT)

typedef struct release_plan {
	unsigned what;                 /* RELEASE_* */
	int left[RELEASE_SLOTS];       /* readers still to run */
	unsigned char keep[RELEASE_SLOTS]; /* pinned to the end of the run */
} release_plan;

/* Plans a run of the models need[] (tested when tests is set and sel[]
 * selects them): counts each table's readers and pins what must stay
 * (seeds, marts, models the caller pinned in ctx->pinned, sources with a
 * source check that did not pass in rep).
 * Then releases the sources no model reads. */
void release_plan_init(release_plan *p, run_ctx *ctx, unsigned what, const int *need, const int *sel, int tests,
		       const test_report *rep);
/* Model i was built and its tests added rep->v[first..]: pins it if one
 * did not pass, counts it done as a reader, and releases every table
 * whose readers are now all done. */
void release_after(release_plan *p, run_ctx *ctx, int i, const int *sel, int tests, const test_report *rep,
		   size_t first);
/* Sets ctx->src_last_read for model i, about to be built: the sources
 * it lists upstream that no later model or test reads, that its own
 * tests do not ref() and that nothing pins, so that the plan frees them
 * once it is built. */
void release_mark_last(const release_plan *p, run_ctx *ctx, int i, const int *sel, int tests);
/* Frees model i's table now, keeping its row count, after calling
 * ctx->on_release; the slot reads as released from then on. */
void release_model(run_ctx *ctx, int i);
void release_source(run_ctx *ctx, int s);

#endif
