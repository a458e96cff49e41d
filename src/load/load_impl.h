/* What load.c (one file) and sources_load.c (a data folder) share. */
#ifndef MM_LOAD_IMPL_H
#define MM_LOAD_IMPL_H
#include "load/load.h"

/* dir/file. Caller frees. */
char *load_path_in(const char *dir, const char *file);
/* An empty table for def's kept columns (keep may be NULL: all), with
 * tcol mapping each declared column to its table column or -1. */
mm_table *load_table_begin(const src_table *def, const char *path, strpool *sp, load_stats *st,
			   const unsigned char *keep, int tcol[LOAD_MAX_COLS]);
/* Loads one file into *out, setting rows aside against the parents'
 * rejects in all (may be NULL) and keeping the columns keep marks. */
int load_path_full(const src_table *def, const char *path, strpool *sp, mm_table **out, load_stats *st,
		   load_stats *all, const unsigned char *keep);
/* Files of min_file bytes and more are read on two threads, the reading
 * thread handing over batches of about batch bytes (by default 1 MB and
 * 4 MB, on a machine with a second processor). For the tests. */
void load_pipe_set(size_t batch, size_t min_file);
/* How many files the two-thread reader has read, for the tests. */
size_t load_pipe_files(void);

#endif
