/* The libcsv parse ceiling: reads each CSV file given with libcsv, with
 * field and row callbacks that do nothing but count, and prints the rows
 * and bytes read. No MediMart loader work (no types, no string pool, no
 * line tracking) is done, so no loader built on libcsv reads these files
 * faster in one process: `make bench` compares `medimart run` with it.
 * Usage: csvparse FILE...   (prints "ROWS BYTES"; exit 1 on a bad file) */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The block read per fread, as MediMart's loader reads. */
#define BLOCK ((size_t)1 << 20)

static void on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
}

static void on_row(int c, void *data)
{
	(void)c;
	++*(unsigned long long *)data;
}

/* Parses one file, adding its rows (header included) and bytes. */
static int parse_file(const char *path, char *block, unsigned long long *rows, unsigned long long *bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	struct csv_parser p;
	/* The options MediMart's loader uses, so the same grammar is parsed. */
	csv_init(&p, CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_blk_size(&p, (size_t)1 << 16);
	int rc = 0;
	size_t n;
	while ((n = fread(block, 1, BLOCK, f)) > 0) {
		*bytes += n;
		if (csv_parse(&p, block, n, on_field, on_row, rows) != n) {
			fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&p)));
			rc = 1;
			break;
		}
	}
	if (ferror(f)) {
		perror(path);
		rc = 1;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_row, rows) != 0) {
		fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&p)));
		rc = 1;
	}
	csv_free(&p);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: csvparse FILE...\n");
		return 2;
	}
	char *block = malloc(BLOCK);
	if (!block) {
		perror("csvparse");
		return 1;
	}
	unsigned long long rows = 0, bytes = 0;
	int rc = 0;
	for (int i = 1; i < argc && rc == 0; i++)
		rc = parse_file(argv[i], block, &rows, &bytes);
	free(block);
	if (rc == 0)
		printf("%llu %llu\n", rows, bytes);
	return rc;
}
