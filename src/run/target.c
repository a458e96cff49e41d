#define _GNU_SOURCE /* renameat2 */
#include "run/target.h"
#include "run/manifest.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Opens path.tmp for writing; close_atomic renames it into place. */
static FILE *open_atomic(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	return fopen(tmp, "wb");
}

static int close_atomic(FILE *f, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		remove(tmp);
		return -1;
	}
	return rename(tmp, path);
}

static int write_table(const mm_table *t, const char *dir)
{
	char name[512];
	snprintf(name, sizeof name, "%s.csv", t->name);
	char *path = join(dir, name);
	FILE *f = open_atomic(path);
	int rc = -1;
	if (f) {
		tbl_write_csv(t, f);
		rc = close_atomic(f, path);
	}
	if (rc)
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

static int write_rejects(const run_ctx *ctx, const char *dir)
{
	char *path = join(dir, "rejects.csv");
	FILE *f = open_atomic(path);
	int rc = -1;
	if (f) {
		fputs("table,file,line,field,column,reason\n", f);
		for (int i = 0; i < SRC_COUNT; i++) {
			const load_stats *st = &ctx->src->st[i];
			for (size_t k = 0; k < st->nkept; k++) {
				const reject *r = &st->rejects[k];
				fprintf(f, "%s,%s,%ld,%ld,", st->table, source_tables[i].file, r->line, r->col);
				esc_csv_file(f, r->column ? r->column : "");
				fputc(',', f);
				esc_csv_file(f, r->reason);
				fputc('\n', f);
			}
		}
		rc = close_atomic(f, path);
	}
	if (rc)
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

static void write_record(FILE *f, run_ctx *ctx, const int *sel, const test_report *rep, const char *verb,
			 int all)
{
	char d[16];
	date_fmt(ctx->census, d);
	fprintf(f, "{\n  \"tool\": \"medimart\",\n  \"verb\": ");
	esc_json_file(f, verb, 0);
	fprintf(f, ",\n  \"census\": \"%s\",\n  \"census_source\": \"%s\",\n  \"data_dir\": ", d,
		ctx->census_given ? "--census" : "derived from the data");
	esc_json_file(f, ctx->src->dir, 0);
	fprintf(f, ",\n  \"plain_synthea\": %s,\n  \"capacity_data\": %s,\n  \"rules\": ",
		ctx->plain_synthea ? "true" : "false", ctx->has_capacity ? "true" : "false");
	esc_json_file(f, ctx->rules_path, 0);
	fputs(",\n  \"sources\": [", f);
	for (int i = 0; i < SRC_COUNT; i++) {
		const load_stats *st = &ctx->src->st[i];
		fprintf(f, "%s\n    {\"table\": ", i ? "," : "");
		esc_json_file(f, st->table, 0);
		fputs(", \"path\": ", f);
		esc_json_file(f, st->path, 0);
		fprintf(f, ", \"seed\": %s, \"present\": %s, \"rows\": %zu, \"rejects\": %zu, \"bytes\": %zu, \"seconds\": %.3f}",
			source_tables[i].seed ? "true" : "false", st->present ? "true" : "false", st->rows,
			st->nrejects, st->bytes, st->seconds);
	}
	fputs("\n  ],\n  \"models\": [", f);
	for (int i = 0, first = 1; i < model_total(); i++) {
		const model_def *m = model_at(i);
		const char *status = ctx->skipped[i] ? "skipped" : model_built(ctx, i) ? "built" : "not selected";
		fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
		first = 0;
		esc_json_file(f, m->name, 0);
		fprintf(f, ", \"layer\": \"%s\", \"materialized\": \"%s\", \"selected\": %s, \"status\": \"%s\", "
			   "\"rows\": %zu, \"seconds\": %.3f}",
			layer_name(m->layer), model_materialized(m, all), sel[i] ? "true" : "false", status,
			model_rows(ctx, i), ctx->seconds[i]);
	}
	fprintf(f, "\n  ],\n  \"tests\": ");
	test_report_write_json(rep, ctx, f);
	fprintf(f, ",\n  \"summary\": {\"passed\": %zu, \"failed\": %zu, \"warnings\": %zu}\n}\n",
		test_report_count(rep, TS_PASS), test_report_count(rep, TS_FAIL), test_report_count(rep, TS_WARN));
}

/* Files of the target folder that MediMart never writes (a README, a
 * .gitignore) are copied across; its own outputs come from this run only. */
static int keep_foreign(const char *rel, void *ud)
{
	(void)ud;
	static const char *const own[] = {"models/", "test_failures/", "rejects.csv", "run_results.json",
					  "manifest.json"};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		size_t n = strlen(own[i]);
		if (own[i][n - 1] == '/' ? !strncmp(rel, own[i], n) : !strcmp(rel, own[i]))
			return 0;
	}
	size_t n = strlen(rel);
	return !(n > 4 && !strcmp(rel + n - 4, ".tmp")) && !strstr(rel, ".medimart-new");
}

int target_write(run_ctx *ctx, const int *sel, test_report *rep, const char *target, const char *verb, int all)
{
	pub_dir pub;
	if (pub_begin(&pub, target))
		return EXIT_FAILED;
	const char *dir = pub.tmp;
	char *mdir = join(dir, "models");
	char *fdir = join(dir, "test_failures");
	int rc = 0;
	if (mkdirs(mdir) || mkdirs(fdir)) {
		diag(DIAG_ERROR, target, 0, 0, "cannot create the target folder: %s", strerror(errno));
		rc = EXIT_FAILED;
		goto out;
	}
	for (int i = 0; i < model_total() && !rc; i++) {
		/* Views stay in memory: at a million patients the staging
		 * tables are most of the bytes and no reader asked for them. */
		if (!sel[i] || !model_built(ctx, i) || ctx->skipped[i] || !model_is_table(model_at(i), all))
			continue;
		if (ctx->released[i])
			table_released(model_at(i)->name, "the target writer");
		progress_tick("writing %s/models/%s.csv (%zu rows)", target, ctx->tables[i]->name, ctx->tables[i]->nrows);
		if (write_table(ctx->tables[i], mdir))
			rc = EXIT_FAILED;
	}
	progress_tick("writing %s/rejects.csv, test_failures/ and the run record", target);
	if (!rc && write_rejects(ctx, dir))
		rc = EXIT_FAILED;
	if (!rc && test_report_write_failures_csv(rep, ctx, fdir))
		rc = EXIT_FAILED;
	/* The report names the files where they will be, not in the new folder. */
	for (size_t i = 0, n = strlen(dir); i < rep->n && !rc; i++) {
		char *f = rep->v[i].failures_file;
		if (f && !strncmp(f, dir, n) && f[n] == '/') {
			rep->v[i].failures_file = join(target, f + n + 1);
			free(f);
		}
	}
	if (!rc) {
		char *path = join(dir, "run_results.json");
		FILE *f = open_atomic(path);
		if (!f || (write_record(f, ctx, sel, rep, verb, all), close_atomic(f, path))) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		}
		free(path);
	}
	if (!rc) {
		char *path = join(dir, "manifest.json");
		FILE *f = open_atomic(path);
		if (!f || (manifest_write(f, all), close_atomic(f, path))) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		}
		free(path);
	}
	if (!rc)
		rc = pub_commit(&pub, keep_foreign, NULL);
out:
	pub_end(&pub);
	free(mdir);
	free(fdir);
	return rc;
}

int path_within(const char *root, const char *path)
{
	char r[PATH_MAX], p[PATH_MAX];
	if (!realpath(root, r) || !realpath(path, p))
		return 0;
	size_t n = strlen(r);
	return !strncmp(p, r, n) && (p[n] == '/' || (n == 1 && r[0] == '/'));
}

/* ---- Publishing a folder whole ---- */

/* The real parent folder and the last name of dir (created if need be),
 * so that "site/", "./site" and a symlink to it name the same folder. */
static int split_dir(const char *dir, char **parent, char **name)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	char real[PATH_MAX];
	struct stat sb;
	int rc = -1;
	if (stat(d, &sb) == 0) {
		if (realpath(d, real)) {
			char *slash = strrchr(real, '/');
			if (slash && slash[1]) {
				*name = xstrdup(slash + 1);
				*parent = slash == real ? xstrdup("/") : xstrndup(real, (size_t)(slash - real));
				rc = 0;
			} else
				errno = EINVAL; /* "/" */
		}
	} else {
		/* Not there yet: its parent (created if need be) and its name. */
		char *slash = strrchr(d, '/');
		const char *last = slash ? slash + 1 : d;
		char *up = slash ? (slash == d ? xstrdup("/") : xstrndup(d, (size_t)(slash - d))) : xstrdup(".");
		if (!strcmp(last, ".") || !strcmp(last, ".."))
			errno = EINVAL;
		else if (mkdirs(up) == 0 && realpath(up, real)) {
			*parent = xstrdup(real);
			*name = xstrdup(last);
			rc = 0;
		}
		free(up);
	}
	free(d);
	return rc;
}

int dir_lock(const char *dir, const char *what)
{
	char *parent, *name;
	if (split_dir(dir, &parent, &name)) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot use as the %s folder: %s", what, strerror(errno));
		return -1;
	}
	char *path = xmalloc(strlen(parent) + strlen(name) + 16);
	sprintf(path, "%s/.%s.lock", parent, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	int rc = -1;
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, 0, "cannot create the lock file: %s", strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		char pid[32];
		int k = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)k, 0) != k)
			diag(DIAG_WARNING, path, 0, 0, "cannot record the pid: %s", strerror(errno));
		rc = fd; /* held until the process exits */
	} else {
		char pid[32] = "";
		ssize_t k = pread(fd, pid, sizeof pid - 1, 0);
		pid[k > 0 ? k : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (*pid && atol(pid) == (long)getpid()) {
			close(fd); /* this run holds it already (--out and --target the same) */
			rc = 0;
		} else {
			diag(DIAG_ERROR, dir, 0, 0,
			     "another medimart run (%s%s) is writing the %s folder %s/ (lock %s); nothing written, "
			     "try again when it has finished",
			     *pid ? "pid " : "pid unknown", pid, what, dir, path);
			close(fd);
		}
	}
	free(path);
	free(parent);
	free(name);
	return rc;
}

/* Removes path and everything under it; symlinks are removed, not followed. */
static void rm_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb))
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = join(path, e->d_name);
			rm_tree(p);
			free(p);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

int pub_begin(pub_dir *p, const char *dir)
{
	memset(p, 0, sizeof *p);
	char *parent, *name;
	if (split_dir(dir, &parent, &name)) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot create folder: %s", strerror(errno));
		return EXIT_FAILED;
	}
	size_t n = strlen(parent) + strlen(name) + 32;
	p->dir = xmalloc(n);
	p->tmp = xmalloc(n);
	snprintf(p->dir, n, "%s/%s", parent, name);
	snprintf(p->tmp, n, "%s/.%s.medimart-new", parent, name);
	free(parent);
	free(name);
	rm_tree(p->tmp); /* left by a run that was killed */
	if (mkdir(p->tmp, 0777)) {
		diag(DIAG_ERROR, p->tmp, 0, 0, "cannot create folder: %s", strerror(errno));
		pub_end(p);
		return EXIT_FAILED;
	}
	return 0;
}

/* Copies (hard link, else bytes) from/rel to to/rel for every file keep()
 * accepts that to/ does not have yet. */
static int keep_tree(const char *from, const char *to, const char *rel, int (*keep)(const char *, void *),
		     void *ud)
{
	char *src = rel ? join(from, rel) : xstrdup(from);
	DIR *d = opendir(src);
	int rc = 0;
	struct dirent *e;
	while (d && !rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *r = rel ? join(rel, e->d_name) : xstrdup(e->d_name);
		char *a = join(from, r), *b = join(to, r);
		struct stat sa, sb;
		if (lstat(a, &sa) == 0 && S_ISDIR(sa.st_mode)) {
			rc = keep_tree(from, to, r, keep, ud);
		} else if (lstat(b, &sb) != 0 && keep(r, ud)) {
			char *slash = strrchr(b, '/');
			*slash = '\0';
			rc = mkdirs(b);
			*slash = '/';
			if (!rc && link(a, b)) {
				FILE *in = fopen(a, "rb"), *out = in ? fopen(b, "wb") : NULL;
				char chunk[8192];
				size_t k;
				rc = out ? 0 : -1;
				while (out && (k = fread(chunk, 1, sizeof chunk, in)) > 0)
					if (fwrite(chunk, 1, k, out) != k)
						rc = -1;
				if (in && ferror(in))
					rc = -1;
				if (out && fclose(out))
					rc = -1;
				if (in)
					fclose(in);
			}
			if (rc)
				diag(DIAG_ERROR, b, 0, 0, "cannot copy %s across: %s", a, strerror(errno));
		}
		free(a);
		free(b);
		free(r);
	}
	if (d)
		closedir(d);
	free(src);
	return rc;
}

int pub_commit(pub_dir *p, int (*keep)(const char *rel, void *ud), void *ud)
{
	struct stat sb;
	int exists = stat(p->dir, &sb) == 0;
	if (exists && keep && keep_tree(p->dir, p->tmp, NULL, keep, ud))
		return EXIT_FAILED;
	/* One rename: readers see the old folder or the new one, never a mix. */
	if (exists && renameat2(AT_FDCWD, p->tmp, AT_FDCWD, p->dir, RENAME_EXCHANGE) == 0) {
		rm_tree(p->tmp); /* now the old folder */
		return 0;
	}
	if (exists && errno != EINVAL && errno != ENOSYS) {
		diag(DIAG_ERROR, p->dir, 0, 0, "cannot replace with %s: %s", p->tmp, strerror(errno));
		return EXIT_FAILED;
	}
	/* A file system without RENAME_EXCHANGE: old aside, new in, old gone. */
	size_t n = strlen(p->dir) + 32;
	char *old = xmalloc(n);
	snprintf(old, n, "%s.medimart-old", p->tmp);
	rm_tree(old);
	int rc = 0;
	if ((exists && rename(p->dir, old)) || rename(p->tmp, p->dir)) {
		diag(DIAG_ERROR, p->dir, 0, 0, "cannot replace with %s: %s", p->tmp, strerror(errno));
		rc = EXIT_FAILED;
	}
	rm_tree(old);
	free(old);
	return rc;
}

void pub_end(pub_dir *p)
{
	if (p->tmp)
		rm_tree(p->tmp);
	free(p->dir);
	free(p->tmp);
	memset(p, 0, sizeof *p);
}
