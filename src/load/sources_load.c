/* Loading a data folder: checking the folder and which files it has,
 * loading every source in order (children after the parents that can set
 * their rows aside), deciding which columns to keep from what the models
 * read, and freeing the lot. One file's parsing is in load.c. */
#include "load/load.h"
#include "load/load_impl.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int folder_ok(const char *dir, const char *what)
{
	struct stat sb;
	if (stat(dir, &sb) != 0) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot open the %s folder: %s", what, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		diag(DIAG_ERROR, dir, 0, 0, "the %s folder is not a folder", what);
		return 0;
	}
	return 1;
}

static void say_missing_file(const src_table *d, const char *path)
{
	static const char seed_tag[] = "Seed: ";
	if (d->seed) {
		const char *what = d->description;
		if (strncmp(what, seed_tag, sizeof seed_tag - 1) == 0)
			what += sizeof seed_tag - 1;
		diag(DIAG_ERROR, path, 0, 0, "missing seed file: %s (a reference file that ships in MediMart's data/ folder)",
		     what);
	} else {
		diag(DIAG_ERROR, path, 0, 0, "missing required file: %s (see docs/data-contract.md)", d->description);
	}
}

/* Checks, before any row is read, that every required file is in its
 * folder and that the header of every present file has its required
 * columns. Prints every problem and notes each absent optional file
 * (absent[i] set), then, if there was a problem, one summary error.
 * Returns 0 or EXIT_INPUT. */
static int sources_check(const char *dir, const char *seed_dir, int absent[SRC_COUNT])
{
	int dir_ok = folder_ok(dir, "data");
	int seeds_ok = strcmp(dir, seed_dir) == 0 ? dir_ok : folder_ok(seed_dir, "seed");
	if (!dir_ok || !seeds_ok)
		return EXIT_INPUT;
	int nfiles = 0, ncols = 0, nbad = 0, nseed = 0;
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		char *path = load_path_in(d->seed ? seed_dir : dir, d->file);
		int nmissing = 0, before = nfiles + ncols + nbad;
		absent[i] = 0;
		struct stat sb;
		if (!d->required_file && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0) {
			/* A 0-byte optional file (an export that wrote nothing) is
			 * an absent one, not a file without a header. */
			diag(DIAG_NOTE, path, 0, 0, "optional table '%s' is an empty file (0 bytes); read as absent",
			     d->name);
			absent[i] = 1;
			free(path);
			continue;
		}
		switch (load_header(d, path, &nmissing)) {
		case LOAD_HDR_OK:
			ncols += nmissing;
			break;
		case LOAD_HDR_ABSENT:
			if (d->required_file) {
				say_missing_file(d, path);
				nfiles++;
			} else {
				diag(DIAG_NOTE, path, 0, 0, "optional table '%s' is absent", d->name);
				absent[i] = 1;
			}
			break;
		default:
			nbad++;
			break;
		}
		if (d->seed && nfiles + ncols + nbad > before)
			nseed += nfiles + ncols + nbad - before;
		free(path);
	}
	if (!nfiles && !ncols && !nbad)
		return 0;
	buf msg = {0};
	if (nfiles)
		buf_printf(&msg, "%d required file%s", nfiles, nfiles == 1 ? "" : "s");
	if (ncols)
		buf_printf(&msg, "%s%d required column%s", nfiles ? " and " : "", ncols, ncols == 1 ? "" : "s");
	if (nfiles || ncols)
		buf_puts(&msg, " missing");
	if (nbad)
		buf_printf(&msg, "%s%d file%s without a readable header", nfiles || ncols ? ", " : "", nbad,
			   nbad == 1 ? "" : "s");
	if (nseed && strcmp(dir, seed_dir) != 0)
		buf_printf(&msg, " (%d of them in the seed folder %s)", nseed, seed_dir);
	diag(DIAG_ERROR, NULL, 0, 0, "%s: %s; nothing was loaded", dir, msg.s);
	buf_free(&msg);
	return EXIT_INPUT;
}

int sources_load(sources *s, const char *dir, const char *seed_dir)
{
	return sources_load_read(s, dir, seed_dir, NULL);
}

/* Which columns of each source are stored: those the contract makes the
 * loader and the source checks read, and those reads[] names. */
static void decide_kept(sources *s, const load_reads *reads)
{
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		for (int c = 0; c < d->ncols; c++) {
			s->kept[i][c] = !reads || reads->col[i][c] || load_contract_reads(d, c);
			s->partial[i] |= !s->kept[i][c];
		}
	}
}

/* The latest date of t over its date and timestamp columns other than
 * birth and death dates (load_stats.latest), or I32_NULL. */
static int32_t latest_date(const mm_table *t)
{
	int32_t best = I32_NULL;
	for (int c = 0; t && c < t->ncols; c++) {
		mm_type ty = t->cols[c].type;
		if ((ty != T_DATE && ty != T_TS) || strstr(t->cols[c].name, "BIRTH") || strstr(t->cols[c].name, "DEATH"))
			continue;
		for (size_t r = 0; r < t->nrows; r++) {
			if (tbl_isnull(t, c, r))
				continue;
			int32_t d = ty == T_TS ? ts_day(tbl_ts(t, c, r)) : tbl_date(t, c, r);
			if (best == I32_NULL || d > best)
				best = d;
		}
	}
	return best;
}

int sources_load_read(sources *s, const char *dir, const char *seed_dir, const load_reads *reads)
{
	memset(s, 0, sizeof *s);
	sp_init(&s->sp);
	s->dir = xstrdup(dir);
	s->seed_dir = xstrdup(seed_dir);
	decide_kept(s, reads);
	int absent[SRC_COUNT];
	int rc = sources_check(dir, seed_dir, absent);
	if (rc)
		return rc;
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		load_stats *st = &s->st[i];
		int tcol[LOAD_MAX_COLS];
		if (absent[i]) {
			/* An optional file, already noted: an empty table. */
			char *path = load_path_in(d->seed ? seed_dir : dir, d->file);
			s->t[i] = load_table_begin(d, path, &s->sp, st, s->kept[i], tcol);
			st->latest = I32_NULL;
			free(path);
			continue;
		}
		char *path = load_path_in(d->seed ? seed_dir : dir, d->file);
		rc = load_path_full(d, path, &s->sp, &s->t[i], st, s->st, s->kept[i]);
		free(path);
		if (rc)
			return rc;
		st->latest = d->seed ? I32_NULL : latest_date(s->t[i]);
		if (st->present)
			progress("loaded %-20s %9zu rows, %zu rejected (%.0f rows/s)", st->table, st->rows,
				 st->nrejects, (double)(st->rows + st->nrejects) / (st->seconds > 1e-6 ? st->seconds : 1e-6));
		for (size_t k = 0; k < st->nkept && k < 3; k++)
			diag(DIAG_WARNING, st->path, st->rejects[k].line, st->rejects[k].col, "row rejected: %s%s%s",
			     st->rejects[k].column ? st->rejects[k].column : "",
			     st->rejects[k].column ? ": " : "", st->rejects[k].reason);
		if (st->nrejects > 3)
			diag(DIAG_WARNING, st->path, 0, 0, "%zu more rejected rows (see the data-quality report)",
			     st->nrejects - 3);
	}
	return 0;
}


void sources_free(sources *s)
{
	for (int i = 0; i < SRC_COUNT; i++) {
		tbl_free(s->t[i]);
		load_stats_free(&s->st[i]);
	}
	sp_free(&s->sp);
	free(s->dir);
	free(s->seed_dir);
	memset(s, 0, sizeof *s);
}

