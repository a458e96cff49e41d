/* The data-tests page (tests.html): every data test of the run, model
 * tests, column tests and source checks, from the test report, with
 * counts at the top and the failures first. */
#ifndef MM_TESTSPAGE_H
#define MM_TESTSPAGE_H
#include "check/check.h"
#include "util/buf.h"

typedef struct testspage_opts {
	const test_report *rep;
	int clinical; /* messages in full; otherwise cut before example values */
	int links;    /* the site has models/ and sources/ pages to link to */
} testspage_opts;

/* Appends the content of <main> of tests.html (a page at the site root).
 * Tests that a model of the registry declares but that have no result in
 * rep (the model was not tested in this run) are listed as "Not run". */
void testspage_body(buf *out, const testspage_opts *o);

#endif
