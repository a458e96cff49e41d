/* Loading CSV files into typed columnar tables with libcsv. */
#ifndef MM_LOAD_H
#define MM_LOAD_H
#include <stddef.h>
#include <stdint.h>
#include "core/table.h"
#include "load/schema.h"

#define REJECTS_KEPT 1000 /* per table; all are counted */

typedef struct reject {
	long line, col;     /* 1-based; col is the field number */
	const char *column; /* header name, or NULL for whole-row problems */
	char *reason;       /* owned */
} reject;

typedef struct load_stats {
	const char *table;
	char *path;       /* owned */
	int present;      /* file exists */
	size_t rows;      /* rows accepted */
	size_t nrejects;  /* rows rejected */
	size_t nkept;
	reject *rejects;  /* first REJECTS_KEPT */
	double seconds;
	size_t bytes;
} load_stats;

/* Loads dir/def->file. Returns 0 (a missing optional file gives an empty
 * table and present = 0), or EXIT_INPUT after printing the error: missing
 * required file or column, unterminated quote, unreadable file.
 * *out is a new table (caller frees) with one column per src_col. */
int load_table(const src_table *def, const char *dir, strpool *sp, mm_table **out, load_stats *st);
/* Same, from an explicit path. */
int load_table_path(const src_table *def, const char *path, strpool *sp, mm_table **out, load_stats *st);
void load_stats_free(load_stats *st);

typedef struct sources {
	strpool sp;
	mm_table *t[SRC_COUNT];
	load_stats st[SRC_COUNT];
	char *dir;
	char *seed_dir;
} sources;

/* Loads every source table from dir and every seed from seed_dir.
 * Returns 0 or EXIT_INPUT. */
int sources_load(sources *s, const char *dir, const char *seed_dir);
void sources_free(sources *s);

#endif
