/* Options shared by the verbs of the medimart command. */
#ifndef MM_OPTS_H
#define MM_OPTS_H
#include <stdint.h>

enum verb { VERB_SYNTH, VERB_RUN, VERB_TEST, VERB_DOCS, VERB_PACK, VERB_BUILD, VERB_LS, VERB_LINEAGE, VERB_COUNT };

struct mm_opts {
	enum verb verb;
	const char *data;    /* inputs */
	const char *target;  /* working outputs for analysts */
	const char *out;     /* published outputs */
	const char *rules;   /* risk rules file, default DATA/../data rules */
	const char *select;  /* --select expression */
	const char *audience;
	int32_t census;      /* DATE_NULL = derive from the data */
	const char *name;    /* lineage: MODEL or MODEL.COLUMN */
	const char *templates; /* --templates DIR; NULL: looked up (pipeline.c) */
	const char *packs;   /* pack: which packs ("brief,trust:RX101"); NULL for all */
	int data_given;      /* --data was given (else data/ is looked up) */
	int quiet;
	int dump;
	int no_target;       /* --no-target: write nothing to the target folder */
	int materialize_all; /* --materialize all: every model to target/models/, not the marts only */
};

int cmd_pipeline(const struct mm_opts *o);
/* medimart ls: every model with its layer, rows in the last run of
 * o->target, and description. Returns 0. (inspect.c) */
int cmd_ls(const struct mm_opts *o);
/* medimart lineage NAME: upstream and downstream trees of o->name.
 * Returns 0, or EXIT_INPUT for an unknown name. (inspect.c) */
int cmd_lineage(const struct mm_opts *o);

#endif
