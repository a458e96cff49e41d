/* libFuzzer target: the CSV loader (src/load/load.c).
 *
 * The loader reads files only, so each input is written to an in-memory
 * file (memfd) and loaded by path with load_table_path, then read again
 * with load_header, the header-only reader. The definition it is loaded
 * against (one of source_tables: patients, waiting_list, the seeds...) is
 * the one whose column names its first line shares most, so that a seed
 * taken from any input file exercises that file's typed columns, enums
 * and ranges; a header that shares none picks one by its first byte. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "load/load.h"
#include "util/diag.h"

static int csv_fd = -1;
static char csv_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	diag_quiet = 1;
	csv_fd = memfd_create("medimart-fuzz.csv", 0);
	if (csv_fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(csv_path, sizeof csv_path, "/proc/self/fd/%d", csv_fd);
	return 0;
}

/* Whether the first line of data[0..size) has the field name. */
static int has_field(const uint8_t *data, size_t size, const char *name)
{
	size_t n = strlen(name), i = 0;
	while (i < size && data[i] != '\n') {
		size_t j = i;
		while (j < size && data[j] != ',' && data[j] != '\n' && data[j] != '\r')
			j++;
		const uint8_t *f = data + i;
		size_t fn = j - i;
		if (fn >= 2 && f[0] == '"' && f[fn - 1] == '"')
			f++, fn -= 2;
		if (fn == n && !memcmp(f, name, n))
			return 1;
		i = j < size && data[j] == '\r' ? j + 1 : j;
		if (i < size && data[i] == ',')
			i++;
	}
	return 0;
}

static const src_table *pick(const uint8_t *data, size_t size)
{
	int best = -1, most = 0;
	for (int i = 0; i < SRC_COUNT; i++) {
		int k = 0;
		for (int c = 0; c < source_tables[i].ncols; c++)
			k += has_field(data, size, source_tables[i].cols[c].name);
		if (k > most)
			most = k, best = i;
	}
	return &source_tables[best >= 0 ? best : size ? data[0] % SRC_COUNT : 0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(csv_fd, 0) != 0 || pwrite(csv_fd, data, size, 0) != (ssize_t)size)
		abort();
	const src_table *def = pick(data, size);
	strpool sp;
	sp_init(&sp);
	mm_table *t = NULL;
	load_stats st;
	load_table_path(def, csv_path, &sp, &t, &st);
	tbl_free(t);
	load_stats_free(&st);
	sp_free(&sp);
	int nmissing;
	load_header(def, csv_path, &nmissing);
	return 0;
}
