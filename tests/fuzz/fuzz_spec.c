/* libFuzzer target: the data-test declaration parser (src/check/spec.c).
 *
 * Each input is a tests string as a model declares it ("not_null
 * unique range(0..3650) ..."): it is split with test_spec_next, each test
 * parsed with test_spec_parse, and each one that parses is named
 * (test_spec_name) and its bounds read as literals of every column type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check/check.h"
#include "util/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	diag_quiet = 1;
	return 0;
}

static void literal(const char *s)
{
	double v;
	if (!s)
		return;
	for (int ty = 0; ty <= T_BOOL; ty++)
		test_literal(s, (mm_type)ty, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The declarations are C strings: stop at the first NUL. */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	const char *s = text, *tok;
	size_t n;
	while ((tok = test_spec_next(&s, &n)) != NULL) {
		test_spec spec;
		char err[256];
		if (test_spec_parse(tok, n, &spec, err, sizeof err) != 0)
			continue;
		free(test_spec_name(&spec, "col"));
		free(test_spec_name(&spec, NULL));
		literal(spec.lo);
		literal(spec.hi);
		literal(spec.rhs);
		test_spec_free(&spec);
	}
	free(text);
	return 0;
}
