/* Options shared by the verbs of the medimart command. */
#ifndef MM_OPTS_H
#define MM_OPTS_H
#include <stdint.h>

enum verb { VERB_SYNTH, VERB_RUN, VERB_TEST, VERB_DOCS, VERB_PACK, VERB_BUILD, VERB_COUNT };

struct mm_opts {
	enum verb verb;
	const char *data;    /* inputs */
	const char *target;  /* working outputs for analysts */
	const char *out;     /* published outputs */
	const char *rules;   /* risk rules file, default DATA/../data rules */
	const char *select;  /* --select expression */
	const char *audience;
	int32_t census;      /* DATE_NULL = derive from the data */
	int quiet;
	int dump;
};

int cmd_pipeline(const struct mm_opts *o);

#endif
