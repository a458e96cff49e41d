/* Shared helpers for the Criterion tests: temp folders, whole-file reads,
 * capturing what a call prints on stderr. Header-only so every tests/test_*.c
 * can use them without a change to the build. */
#ifndef MM_TEST_HELPERS_H
#define MM_TEST_HELPERS_H
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "contract/schema.h"

#define TH_UNUSED __attribute__((unused))

/* "dir/name" in a new buffer; caller frees. */
TH_UNUSED static char *th_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

TH_UNUSED static int th_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* The whole file, NUL-terminated; *len gets its size. NULL if unreadable.
 * Caller frees. */
TH_UNUSED static char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, k;
	char *buf = malloc(cap + 1);
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Returns 0, or -1 if the file could not be written. */
TH_UNUSED static int th_write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -1;
}

/* A new empty folder /tmp/medimart-test-TAG-XXXXXX; caller removes it with
 * th_rmtree and frees the name. */
TH_UNUSED static char *th_mkdtemp(const char *tag)
{
	char tmpl[256];
	snprintf(tmpl, sizeof tmpl, "/tmp/medimart-test-%s-XXXXXX", tag);
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

/* Removes a folder and everything below it (generated folders are shallow). */
TH_UNUSED static void th_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = th_path(dir, e->d_name);
			struct stat sb;
			if (p && lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				th_rmtree(p);
			else if (p)
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* Captures stderr (fd 2) into a temporary file between start and end. */
typedef struct th_capture {
	int saved;
	FILE *f;
} th_capture;

TH_UNUSED static int th_capture_start(th_capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	c->saved = dup(2);
	if (!c->f || c->saved < 0 || dup2(fileno(c->f), 2) < 0)
		return -1;
	return 0;
}

/* Restores stderr and returns what was written to it; caller frees. */
TH_UNUSED static char *th_capture_end(th_capture *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	fseek(c->f, 0, SEEK_END);
	long n = ftell(c->f);
	char *s = malloc(n > 0 ? (size_t)n + 1 : 1);
	rewind(c->f);
	size_t k = n > 0 && s ? fread(s, 1, (size_t)n, c->f) : 0;
	if (s)
		s[k] = '\0';
	fclose(c->f);
	return s;
}

/* Where the seed files are, looked up as the pipeline does: beside the
 * data, else in data/. When neither has them (they may not be written
 * yet), a temporary folder of header-only seeds stands in and *made is
 * set: the caller removes it with th_rmtree. Caller frees the name. */
TH_UNUSED static char *th_seed_dir(const char *data, int *made)
{
	const char *dirs[] = {data, "data"};
	*made = 0;
	for (int k = 0; k < 2; k++) {
		int have = 1;
		for (int i = 0; i < SRC_COUNT; i++) {
			if (!source_tables[i].seed)
				continue;
			char *p = th_path(dirs[k], source_tables[i].file);
			have &= p && th_exists(p);
			free(p);
		}
		if (have)
			return strdup(dirs[k]);
	}
	char *dir = th_mkdtemp("seeds");
	for (int i = 0; dir && i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		if (!d->seed)
			continue;
		char *p = th_path(dir, d->file);
		FILE *f = p ? fopen(p, "w") : NULL;
		for (int c = 0; f && c < d->ncols; c++)
			fprintf(f, "%s%s", c ? "," : "", d->cols[c].name);
		if (f) {
			fputc('\n', f);
			fclose(f);
		}
		free(p);
	}
	*made = 1;
	return dir;
}

/* A kpi_summary table of the model's columns, for template tests; rows
 * are added with th_kpi_row. */
TH_UNUSED static mm_table *th_kpi_table(strpool *sp)
{
	static const char *const names[] = {"kpi", "label", "value", "unit", "standard", "direction", "status",
					    "definition"};
	static const mm_type types[] = {T_STR, T_STR, T_NUM, T_STR, T_NUM, T_STR, T_STR, T_STR};
	mm_table *t = tbl_new("kpi_summary", sp);
	for (int c = 0; c < 8; c++)
		tbl_add_col(t, names[c], types[c]);
	return t;
}

TH_UNUSED static void th_kpi_row(mm_table *t, const char *kpi, const char *label, double value, const char *unit,
				 double standard, const char *direction, const char *status, const char *definition)
{
	size_t r = tbl_add_row(t);
	tbl_set_str(t, 0, r, kpi);
	tbl_set_str(t, 1, r, label);
	tbl_set_num(t, 2, r, value);
	tbl_set_str(t, 3, r, unit);
	tbl_set_num(t, 4, r, standard);
	tbl_set_str(t, 5, r, direction);
	tbl_set_str(t, 6, r, status);
	tbl_set_str(t, 7, r, definition);
}

#endif
