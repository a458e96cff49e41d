/* libFuzzer target: the template parser (src/template/template.c and tpl_*.c).
 *
 * Each input is a Markdown page template, parsed as an entity page (so its
 * {{field}} placeholders are read as for trust/[trust_code].md), then
 * checked against an empty catalog: every model it names is unknown, which
 * walks the validator's error paths over whatever the parser produced. */
#include <stdint.h>
#include <string.h>
#include "template/template.h"
#include "util/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	diag_quiet = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	template *t = tpl_parse((const char *)data, size, "fuzz/trust/[trust_code].md", "trust/[trust_code].md");
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	tpl_validate(t, &cat, NULL);
	tpl_free(t);
	return 0;
}
