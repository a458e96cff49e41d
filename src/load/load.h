/* Loading CSV files into typed columnar tables with libcsv. */
#ifndef MM_LOAD_H
#define MM_LOAD_H
#include <stddef.h>
#include <stdint.h>
#include "core/table.h"
#include "contract/schema.h"
#include "util/hmap.h"

#define REJECTS_KEPT 1000 /* per table; all are counted */
/* The longest cell loaded, in bytes: a longer one rejects its row, so no
 * name or description can stall or break the site and the packs. */
#define LOAD_FIELD_MAX 4096
/* The most columns one source declares. */
#define LOAD_MAX_COLS 32

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
	/* Rejected rows by their declared key (src_table.key, when it was
	 * read): string id -> line, so that rows naming them in a later table
	 * (an FK_CASCADE key) are set aside instead of failing a reference
	 * test. */
	hmap rejected;
	int has_rejected;
	size_t set_aside; /* of nrejects: rows whose parent row was rejected */
	/* The latest date of the table's date and timestamp columns other than
	 * birth and death dates, or I32_NULL: set by sources_load_read, so the
	 * data-quality page has it after the table is released. */
	int32_t latest;
	/* SHA-256 of the file's bytes as loaded, in hex, for the provenance
	 * of the packs; "" when the file was not read to its end. */
	char sha256[65];
} load_stats;

/* Loads dir/def->file. Returns 0 (a missing optional file gives an empty
 * table and present = 0), or EXIT_INPUT after printing the error: missing
 * required file or column, unterminated quote, unreadable file.
 * *out is a new table (caller frees) with one column per src_col. */
int load_table(const src_table *def, const char *dir, strpool *sp, mm_table **out, load_stats *st);
/* Same, from an explicit path. */
int load_table_path(const src_table *def, const char *path, strpool *sp, mm_table **out, load_stats *st);
/* Same, setting aside rows whose parent row was rejected: a child row
 * naming, by one of def's FK_CASCADE keys, a rejected row of a table
 * loaded before it is rejected with the parent's file and line, never
 * left to break the models built on both. all is the load_stats array of
 * every source, indexed by src_id; id is def's. */
int load_table_linked(const src_table *def, int id, const char *path, strpool *sp, mm_table **out,
		      load_stats *all);
void load_stats_free(load_stats *st);

/* What load_header found. */
enum { LOAD_HDR_OK, LOAD_HDR_ABSENT, LOAD_HDR_BAD };
/* Reads only the header line of path, exactly as load_table_path reads it,
 * and prints "PATH:1: error: missing required column 'X'" for each
 * required column it lacks. Returns LOAD_HDR_OK with *nmissing the number
 * of such columns (0 when the header is complete); LOAD_HDR_ABSENT when
 * there is no such file (nothing printed); LOAD_HDR_BAD when the file
 * cannot be read or has no header (the error was printed). */
int load_header(const src_table *def, const char *path, int *nmissing);

/* Whether declared column c of source i has a reader beyond the loader
 * and the source checks: col[i][c]. */
typedef struct load_reads {
	unsigned char col[SRC_COUNT][LOAD_MAX_COLS];
} load_reads;

/* Whether the loader or the source checks read declared column c of def:
 * its key, a foreign key, its freshness or one_name column, a column that
 * is not text (dates feed the census and the data-quality page), or any
 * column of a seed. */
int load_contract_reads(const src_table *def, int c);

typedef struct sources {
	strpool sp;
	mm_table *t[SRC_COUNT];
	load_stats st[SRC_COUNT];
	char *dir;
	char *seed_dir;
	/* kept[i][c]: declared column c of source i is in t[i]; partial[i]:
	 * some column is not (docs/data-contract.md, "Columns nothing reads"). */
	unsigned char kept[SRC_COUNT][LOAD_MAX_COLS];
	int partial[SRC_COUNT];
} sources;

/* Loads every source table from dir and every seed from seed_dir. Before
 * reading any row it checks that every required file is there and reads
 * the header of every present file; it prints every missing file and
 * required column, notes each absent optional file, and when anything is
 * missing ends with one summary error and loads nothing. Returns 0 or
 * EXIT_INPUT. */
int sources_load(sources *s, const char *dir, const char *seed_dir);
/* The same, storing of each source only the columns that reads names or
 * the contract makes the loader and the source checks read
 * (load_contract_reads); every other text column is validated as
 * before, so the same rows are rejected with the same messages, but not
 * interned or stored: the table lacks it, and col() on it aborts. reads
 * NULL keeps every column. */
int sources_load_read(sources *s, const char *dir, const char *seed_dir, const load_reads *reads);
/* Source id's table with every declared column filled in for the given
 * rows (indices into s->t[id]), for writing them whole: s->t[id] itself
 * when it has every column; otherwise a new table (caller frees) read
 * again from the file, the same rows accepted, whose listed rows hold
 * every column. NULL, after printing why, when the file cannot be read
 * again as it was. */
mm_table *sources_rows_whole(sources *s, int id, const size_t *rows, size_t n);
void sources_free(sources *s);

#endif
