/* Replays the crash inputs the fuzz targets found (tests/fuzz/regressions/
 * TARGET/) through the same code as the targets, so that `make unit` (and
 * `make asan`) catch a return of any of them without clang or libFuzzer.
 * The targets are compiled in here under other names. */
#define LLVMFuzzerInitialize fuzz_csv_init
#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerInitialize fuzz_template_init
#define LLVMFuzzerTestOneInput fuzz_template_one
#include "fuzz/fuzz_template.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerInitialize fuzz_spec_init
#define LLVMFuzzerTestOneInput fuzz_spec_one
#include "fuzz/fuzz_spec.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerInitialize fuzz_rules_init
#define LLVMFuzzerTestOneInput fuzz_rules_one
#include "fuzz/fuzz_rules.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include "helpers.h"

#define REG "tests/fuzz/regressions/"

/* Runs every file of tests/fuzz/regressions/target through one; returns
 * how many there were. */
static int replay(const char *target, int (*init)(int *, char ***), int (*one)(const uint8_t *, size_t))
{
	int saved = diag_quiet, argc = 0;
	char **argv = NULL;
	init(&argc, &argv);
	char dir[256];
	snprintf(dir, sizeof dir, REG "%s", target);
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *file = th_path(dir, e->d_name);
		FILE *f = fopen(file, "rb");
		cr_assert_not_null(f, "%s", file);
		static uint8_t data[1 << 16];
		size_t len = fread(data, 1, sizeof data, f);
		fclose(f);
		/* Exactly the input, in a buffer of its own size (as libFuzzer
		 * passes it), so that over-reads show under AddressSanitizer. */
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, data, len);
		th_capture cap;
		cr_assert_eq(th_capture_start(&cap), 0);
		one(copy, len);
		free(th_capture_end(&cap));
		free(copy);
		free(file);
		n++;
	}
	if (d)
		closedir(d);
	diag_quiet = saved;
	return n;
}

Test(fuzz_regressions, csv) { replay("csv", fuzz_csv_init, fuzz_csv_one); }
Test(fuzz_regressions, template) { replay("template", fuzz_template_init, fuzz_template_one); }
Test(fuzz_regressions, spec) { replay("spec", fuzz_spec_init, fuzz_spec_one); }
Test(fuzz_regressions, rules) { replay("rules", fuzz_rules_init, fuzz_rules_one); }
