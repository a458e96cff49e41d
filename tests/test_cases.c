/* Golden cases as data: every folder tests/cases/<group>/<case>/ holds the
 * inputs of one case and its expected output, and is found here by reading
 * the folders; adding a case is adding a folder (tests/README.md). Groups:
 *
 *   chart     case.txt, chart.md (one chart block), tables (NAME.csv and
 *             NAME.cols); the block's chart as drawn on a page, compared
 *             with expected.svg.
 *   template  case.txt naming a templates folder and a data folder; the
 *             site rendered from them, every file under expected/ compared
 *             with the file of the same path in the output.
 *
 * Outputs are compared byte for byte. On a difference the output is written
 * under $TMPDIR/medimart-cases/<group>/<case>/ (same relative path) and both
 * paths are named. MM_UPDATE_GOLDEN=1 rewrites the expected files instead.
 * A case without expected output fails. */
#include <criterion/criterion.h>
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include "helpers.h"
#include "query/blocks.h"
#include "site/site.h"
#include "template/template.h"
#include "util/buf.h"
#include "util/date.h"

#define CASES_DIR "tests/cases"
#define MAX_TABLES 16

/* ---- Messages ---- */

/* Why a case failed: one line per problem. */
static void say(buf *msg, const char *fmt, ...)
{
	va_list ap;
	char line[1200];
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_printf(msg, "%s\n", line);
}

/* ---- Folders ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir (no hidden ones), sorted by byte order so that every run
 * visits cases in the same order; dirs 1 keeps folders only, 0 files only.
 * Returns the count; *out is NULL-terminated; free with free_names. */
static int list_dir(const char *dir, int dirs, char ***out)
{
	char **v = calloc(1, sizeof *v);
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = th_path(dir, e->d_name);
		struct stat sb;
		if (stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode) == !dirs) {
			v = realloc(v, (size_t)(n + 2) * sizeof *v);
			v[n++] = strdup(e->d_name);
			v[n] = NULL;
		}
		free(p);
	}
	if (d)
		closedir(d);
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	*out = v;
	return n;
}

static void free_names(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Creates every missing folder of the file path's parent. */
static void mkdir_parents(const char *path)
{
	char *p = strdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	free(p);
}

/* ---- case.txt ---- */

typedef struct case_opts {
	char *templates, *data; /* relative to the case folder; data defaults to it */
	int audience;           /* 1 clinical, 0 board, -1 not given */
	int32_t census;
	int capacity;
} case_opts;

static int opts_line(case_opts *o, const char *key, const char *val)
{
	if (!strcmp(key, "templates"))
		return free(o->templates), o->templates = strdup(val), 0;
	if (!strcmp(key, "data"))
		return free(o->data), o->data = strdup(val), 0;
	if (!strcmp(key, "audience") && (!strcmp(val, "board") || !strcmp(val, "clinical")))
		return o->audience = !strcmp(val, "clinical"), 0;
	if (!strcmp(key, "census"))
		return date_parse(val, strlen(val), &o->census);
	if (!strcmp(key, "capacity") && (!strcmp(val, "yes") || !strcmp(val, "no")))
		return o->capacity = !strcmp(val, "yes"), 0;
	return -1;
}

/* Reads dir/case.txt: "key value" lines, "#" comments. Returns 0, or -1
 * with the reason in msg. */
static int opts_read(const char *dir, case_opts *o, buf *msg)
{
	memset(o, 0, sizeof *o);
	o->audience = -1;
	char *path = th_path(dir, "case.txt");
	char *text = th_read_file(path, NULL);
	int bad = 0, lineno = 0;
	if (!text)
		say(msg, "%s: cannot read it (every case has one)", path), bad = 1;
	for (char *line = text, *next; line && *line && !bad; line = next) {
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		lineno++;
		char key[64], val[512];
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		if (sscanf(line, "%63s %511[^\n]", key, val) != 2 || opts_line(o, key, val))
			say(msg, "%s:%d: not a setting: '%s'", path, lineno, line), bad = 1;
	}
	if (!bad && o->audience < 0)
		say(msg, "%s: no 'audience board' or 'audience clinical' line", path), bad = 1;
	free(text);
	free(path);
	return bad ? -1 : 0;
}

static void opts_free(case_opts *o)
{
	free(o->templates);
	free(o->data);
}

/* A path of case.txt: relative to the case folder, unless absolute.
 * Caller frees. */
static char *case_file(const char *dir, const char *path)
{
	return path[0] == '/' ? strdup(path) : th_path(dir, path);
}

/* ---- Tables: NAME.csv with its declaration NAME.cols ---- */

/* The tables of a case and the declarations they are read with; the
 * catalog borrows from here. */
typedef struct case_data {
	strpool sp;
	tpl_catalog cat;
	mm_table *t[MAX_TABLES];
	model_def def[MAX_TABLES];
	model_col *cols[MAX_TABLES];
	int ncols[MAX_TABLES];
	char *name[MAX_TABLES], *desc[MAX_TABLES];
	int n;
} case_data;

static int type_parse(const char *s, mm_type *out)
{
	for (int t = T_STR; t <= T_BOOL; t++)
		if (!strcmp(s, type_name((mm_type)t)))
			return *out = (mm_type)t, 0;
	return -1;
}

static int role_parse(const char *s, col_role *out)
{
	for (int r = CR_ID; r < CR_COUNT_ROLES; r++)
		if (!strcmp(s, col_role_name((col_role)r)))
			return *out = (col_role)r, 0;
	return -1;
}

/* One line of a .cols file into table k of d: "description: TEXT",
 * "rows: patient-level", or "NAME TYPE ROLE [LABEL...]". */
static int cols_line(case_data *d, int k, const char *line)
{
	char a[128], b[64], c[64], label[256] = "";
	if (!strncmp(line, "description: ", 13))
		return free(d->desc[k]), d->desc[k] = strdup(line + 13), 0;
	if (!strcmp(line, "rows: patient-level"))
		return d->def[k].flags |= MODEL_PATIENT_LEVEL, 0;
	int got = sscanf(line, "%127s %63s %63s %255[^\n]", a, b, c, label);
	model_col col = {.tests = "", .from = "", .role = CR_UNSET};
	if (got < 2 || type_parse(b, &col.type) || (got >= 3 && role_parse(c, &col.role)))
		return -1;
	col.name = strdup(a);
	col.description = strdup(label);
	d->cols[k] = realloc(d->cols[k], (size_t)(d->ncols[k] + 1) * sizeof col);
	d->cols[k][d->ncols[k]++] = col;
	return 0;
}

/* Reads path into table k's declaration. Every column gives its role:
 * disclosure follows declared roles only, so a table of a case is a
 * declared mart like the models the templates read. */
static int cols_read(case_data *d, int k, const char *path, buf *msg)
{
	char *text = th_read_file(path, NULL);
	int bad = 0, lineno = 0;
	if (!text)
		say(msg, "%s: cannot read it (every NAME.csv needs one)", path), bad = 1;
	for (char *line = text, *next; line && *line && !bad; line = next) {
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (cols_line(d, k, line))
			say(msg, "%s:%d: not a declaration: '%s'", path, lineno, line), bad = 1;
	}
	for (int c = 0; c < d->ncols[k] && !bad; c++)
		if (d->cols[k][c].role == CR_UNSET)
			say(msg, "%s: column '%s' declares no role", path, d->cols[k][c].name), bad = 1;
	if (!bad && d->ncols[k] == 0)
		say(msg, "%s: declares no columns", path), bad = 1;
	free(text);
	return bad ? -1 : 0;
}

/* Reading a CSV file into a table of declared columns. */
typedef struct csv_reader {
	mm_table *t;
	const char *path;
	long line;   /* of the record being read, header = 1 */
	int field;
	buf *msg;
	int bad;
} csv_reader;

static int cell_set(mm_table *t, int c, size_t r, const char *s, size_t n)
{
	char *end;
	int32_t d;
	int64_t ts;
	errno = 0;
	switch (t->cols[c].type) {
	case T_STR: tbl_set_str(t, c, r, s); return 0;
	case T_INT: tbl_set_int(t, c, r, strtoll(s, &end, 10)); return *end || errno;
	case T_NUM: tbl_set_num(t, c, r, strtod(s, &end)); return *end || errno;
	case T_DATE: return date_parse(s, n, &d) ? -1 : (tbl_set_date(t, c, r, d), 0);
	case T_TS: return ts_parse(s, n, &ts) ? -1 : (tbl_set_ts(t, c, r, ts), 0);
	case T_BOOL:
		if (strcmp(s, "true") && strcmp(s, "false"))
			return -1;
		tbl_set_bool(t, c, r, !strcmp(s, "true"));
		return 0;
	}
	return -1;
}

static void on_field(void *p, size_t n, void *data)
{
	csv_reader *R = data;
	const char *s = p ? p : "";
	int c = R->field++;
	if (R->bad || c >= R->t->ncols)
		return;
	if (R->line == 1) {
		if (strcmp(s, R->t->cols[c].name))
			say(R->msg, "%s:1: column %d is '%s', declared '%s'", R->path, c + 1, s, R->t->cols[c].name),
				R->bad = 1;
		return;
	}
	if (c == 0)
		tbl_add_row(R->t);
	if (n > 0 && cell_set(R->t, c, R->t->nrows - 1, s, n))
		say(R->msg, "%s:%ld: '%s' is not a %s", R->path, R->line, s, type_name(R->t->cols[c].type)), R->bad = 1;
}

static void on_row(int ch, void *data)
{
	csv_reader *R = data;
	if (!R->bad && R->field != R->t->ncols)
		say(R->msg, "%s:%ld: %d fields, declared %d", R->path, R->line, R->field, R->t->ncols), R->bad = 1;
	R->field = 0;
	R->line++;
}

static int csv_read(mm_table *t, const char *path, buf *msg)
{
	size_t n;
	char *text = th_read_file(path, &n);
	csv_reader R = {t, path, 1, 0, msg, 0};
	struct csv_parser p;
	if (!text)
		return say(msg, "%s: cannot read it", path), -1;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	if (csv_parse(&p, text, n, on_field, on_row, &R) != n || csv_fini(&p, on_field, on_row, &R))
		say(msg, "%s: not a CSV file: %s", path, csv_strerror(csv_error(&p))), R.bad = 1;
	csv_free(&p);
	free(text);
	return R.bad ? -1 : 0;
}

/* Table k from dir/NAME.csv and dir/NAME.cols. */
static int table_read(case_data *d, int k, const char *dir, const char *csv_name, buf *msg)
{
	d->name[k] = strndup(csv_name, strlen(csv_name) - 4);
	char *base = th_path(dir, d->name[k]), *cols = malloc(strlen(base) + 6);
	sprintf(cols, "%s.cols", base);
	int rc = cols_read(d, k, cols, msg);
	d->t[k] = tbl_new(d->name[k], &d->sp);
	for (int c = 0; rc == 0 && c < d->ncols[k]; c++)
		tbl_add_col(d->t[k], d->cols[k][c].name, d->cols[k][c].type);
	char *csv = th_path(dir, csv_name);
	if (rc == 0)
		rc = csv_read(d->t[k], csv, msg);
	free(csv);
	free(cols);
	free(base);
	return rc;
}

/* Every NAME.csv of dir, in name order, into d->cat as the catalog the
 * templates read; every table is a declared mart. */
static int data_read(case_data *d, const char *dir, const case_opts *o, buf *msg)
{
	memset(d, 0, sizeof *d);
	sp_init(&d->sp);
	char **files;
	int nf = list_dir(dir, 0, &files), rc = 0;
	for (int i = 0; i < nf && rc == 0; i++) {
		size_t len = strlen(files[i]);
		if (len < 5 || strcmp(files[i] + len - 4, ".csv"))
			continue;
		if (d->n == MAX_TABLES) {
			say(msg, "%s: more than %d tables", dir, MAX_TABLES);
			rc = -1;
			break;
		}
		int k = d->n++;
		rc = table_read(d, k, dir, files[i], msg);
		const char *desc = d->desc[k] ? d->desc[k] : d->name[k];
		d->def[k] = (model_def){.name = d->name[k], .layer = LAYER_MART, .description = desc,
					.cols = d->cols[k], .ncols = d->ncols[k], .flags = d->def[k].flags};
		if (rc == 0)
			tpl_catalog_add(&d->cat, d->name[k], desc, d->t[k], &d->def[k]);
	}
	free_names(files);
	if (rc == 0 && d->n == 0)
		say(msg, "%s: no tables (NAME.csv with NAME.cols)", dir), rc = -1;
	d->cat.clinical = o->audience == 1;
	d->cat.census = o->census;
	d->cat.has_capacity = o->capacity;
	return rc;
}

static void data_free(case_data *d)
{
	tpl_catalog_free(&d->cat);
	for (int k = 0; k < d->n; k++) {
		if (d->t[k])
			tbl_free(d->t[k]);
		for (int c = 0; c < d->ncols[k]; c++) {
			free((char *)d->cols[k][c].name);
			free((char *)d->cols[k][c].description);
		}
		free(d->cols[k]);
		free(d->name[k]);
		free(d->desc[k]);
	}
	sp_free(&d->sp);
}

/* ---- Comparing ---- */

/* Where an output that differs is left: $TMPDIR/medimart-cases/<group>/
 * <case>/<rel>. Caller frees. */
static char *actual_path(const char *group, const char *name, const char *rel)
{
	const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	size_t n = strlen(tmp) + strlen(group) + strlen(name) + strlen(rel) + 32;
	char *p = malloc(n);
	snprintf(p, n, "%s/medimart-cases/%s/%s/%s", tmp, group, name, rel);
	return p;
}

/* Compares got with the expected file dir/rel, or rewrites it when update
 * is set. A missing expected file fails. Returns 0 or -1. */
static int compare(const char *group, const char *dir, const char *rel, const char *got, size_t gn, int update,
		   buf *msg)
{
	char *want_path = th_path(dir, rel);
	int rc = 0;
	if (update) {
		mkdir_parents(want_path);
		if (th_write_file(want_path, got, gn))
			say(msg, "%s: cannot write it", want_path), rc = -1;
		free(want_path);
		return rc;
	}
	size_t wn = 0;
	char *want = th_read_file(want_path, &wn);
	if (!want || wn != gn || memcmp(want, got, gn)) {
		const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		char *got_path = actual_path(group, name, rel);
		mkdir_parents(got_path);
		th_write_file(got_path, got, gn);
		if (want)
			say(msg, "%s differs from the expected %s (diff them; MM_UPDATE_GOLDEN=1 rewrites it)", got_path,
			    want_path);
		else
			say(msg, "missing expected file %s (run with MM_UPDATE_GOLDEN=1); the output is in %s", want_path,
			    got_path);
		free(got_path);
		rc = -1;
	}
	free(want);
	free(want_path);
	return rc;
}

/* ---- Group chart ---- */

/* The one chart block of chart.md, drawn as a page draws it. Returns a
 * new SVG, or NULL with the reason in msg. */
static char *chart_case_svg(const char *dir, const case_data *d, buf *msg)
{
	char *path = th_path(dir, "chart.md");
	template *t = tpl_load(path, "chart.md");
	char *svg = NULL;
	int nchart = 0;
	const tpl_block *b = NULL;
	for (int i = 0; t && i < t->nblocks; i++)
		if (t->blocks[i].kind == BLK_CHART)
			nchart++, b = &t->blocks[i];
	if (!t || t->nerrors || tpl_validate(t, &d->cat, NULL))
		say(msg, "%s: not a valid template (the error is printed above)", path);
	else if (nchart != 1)
		say(msg, "%s: %d chart blocks, want 1", path, nchart);
	else {
		blk_env e = {.cat = &d->cat, .tpl = t};
		blk_chart c;
		if (blk_chart_eval(&e, b, &c) == BLK_CHART_OK) {
			buf o = {0};
			chart_svg(c.c, &o);
			svg = o.s;
		} else
			say(msg, "%s: the chart block draws no chart (state %d)", path, (int)c.state);
		blk_chart_free(&c);
	}
	if (t)
		tpl_free(t);
	free(path);
	return svg;
}

static int run_chart(const char *group, const char *dir, const case_data *d, int update, buf *msg)
{
	char *svg = chart_case_svg(dir, d, msg);
	if (!svg)
		return -1;
	int rc = compare(group, dir, "expected.svg", svg, strlen(svg), update, msg);
	free(svg);
	return rc;
}

/* ---- Group template ---- */

/* Compares every file under dir/expected/<sub> with out/<sub>. */
static int compare_tree(const char *group, const char *dir, const char *out, const char *sub, int update,
			buf *msg, int *nfiles)
{
	char *exp_dir = th_path(dir, sub);
	char **v;
	int rc = 0;
	for (int k = 0; k < 2; k++) { /* files, then folders */
		int n = list_dir(exp_dir, k == 1, &v);
		for (int i = 0; i < n; i++) {
			char *rel = th_path(sub, v[i]);
			if (k == 1) {
				rc |= compare_tree(group, dir, out, rel, update, msg, nfiles);
			} else {
				char *got_path = th_path(out, rel + strlen("expected/"));
				size_t gn = 0;
				char *got = th_read_file(got_path, &gn);
				if (!got)
					say(msg, "%s was not written (expected as %s/%s)", got_path, dir, rel), rc = -1;
				else
					rc |= compare(group, dir, rel, got, gn, update, msg);
				(*nfiles)++;
				free(got);
				free(got_path);
			}
			free(rel);
		}
		free_names(v);
	}
	free(exp_dir);
	return rc;
}

static int run_template(const char *group, const char *dir, const case_opts *o, const case_data *d, int update,
			buf *msg)
{
	if (!o->templates) {
		say(msg, "%s/case.txt: no 'templates FOLDER' line", dir);
		return -1;
	}
	char *tpl = case_file(dir, o->templates), *out = th_mkdtemp("case");
	site_opts so = {.templates_dir = tpl, .out_dir = out, .downloads = 1};
	int rc = 0, nfiles = 0;
	if (site_render_catalog(&d->cat, &so))
		say(msg, "%s: the site was not rendered (the error is printed above)", dir), rc = -1;
	else
		rc = compare_tree(group, dir, out, "expected", update, msg, &nfiles);
	if (rc == 0 && nfiles == 0)
		say(msg, "%s/expected/ holds no files: create an empty one for each output to compare, then run with "
			 "MM_UPDATE_GOLDEN=1", dir), rc = -1;
	th_rmtree(out);
	free(out);
	free(tpl);
	return rc;
}

/* ---- One case ---- */

/* Runs the case in dir as a case of group. Returns 0 when every output is
 * as expected (or was rewritten, with update), else -1 with the reasons
 * in msg. */
static int case_run(const char *group, const char *dir, int update, buf *msg)
{
	case_opts o;
	case_data d;
	if (opts_read(dir, &o, msg))
		return opts_free(&o), -1;
	char *data_dir = o.data ? case_file(dir, o.data) : strdup(dir);
	int rc = data_read(&d, data_dir, &o, msg);
	if (rc == 0 && !strcmp(group, "chart"))
		rc = run_chart(group, dir, &d, update, msg);
	else if (rc == 0 && !strcmp(group, "template"))
		rc = run_template(group, dir, &o, &d, update, msg);
	else if (rc == 0)
		say(msg, "%s: unknown group '%s' (chart or template)", dir, group), rc = -1;
	data_free(&d);
	free(data_dir);
	opts_free(&o);
	return rc;
}

/* ---- The tests ---- */

Test(cases, every_case_as_expected)
{
	int update = getenv("MM_UPDATE_GOLDEN") != NULL, ncases = 0;
	char **groups;
	int ng = list_dir(CASES_DIR, 1, &groups);
	for (int g = 0; g < ng; g++) {
		char *gdir = th_path(CASES_DIR, groups[g]), **names;
		int nc = list_dir(gdir, 1, &names);
		for (int c = 0; c < nc; c++, ncases++) {
			char *dir = th_path(gdir, names[c]);
			buf msg = {0};
			buf_puts(&msg, "");
			int rc = case_run(groups[g], dir, update, &msg);
			cr_expect_eq(rc, 0, "case %s failed:\n%s", dir, msg.s);
			if (update && rc == 0)
				cr_log_info("rewrote the expected output of %s", dir);
			buf_free(&msg);
			free(dir);
		}
		free_names(names);
		free(gdir);
	}
	free_names(groups);
	cr_assert_geq(ncases, 10, "only %d cases under %s (run from the repository root)", ncases, CASES_DIR);
}

/* ---- The runner fails when it should ---- */

/* Copies the files (not folders) of src into the new folder dst. */
static void copy_files(const char *src, const char *dst)
{
	char **v;
	int n = list_dir(src, 0, &v);
	cr_assert_eq(mkdir(dst, 0777), 0, "mkdir %s", dst);
	for (int i = 0; i < n; i++) {
		char *a = th_path(src, v[i]), *b = th_path(dst, v[i]);
		size_t len;
		char *s = th_read_file(a, &len);
		cr_assert(s && th_write_file(b, s, len) == 0, "copy %s", a);
		free(s), free(a), free(b);
	}
	free_names(v);
}

/* Runs a case and returns its messages; *rc gets case_run's result. */
static char *run_quiet(const char *group, const char *dir, int update, int *rc)
{
	buf msg = {0};
	buf_puts(&msg, "");
	*rc = case_run(group, dir, update, &msg);
	return msg.s;
}

/* A copy of the bar case: as it is it passes; one byte changed in its
 * expected file fails and names both files; without the expected file it
 * fails; MM_UPDATE_GOLDEN's mode writes it back, byte for byte. */
Test(cases, a_changed_byte_fails)
{
	char *tmp = th_mkdtemp("cases"), *dir = th_path(tmp, "bar");
	copy_files(CASES_DIR "/chart/bar", dir);
	char *want = th_path(dir, "expected.svg"), *m;
	size_t n;
	char *orig = th_read_file(want, &n);
	int rc;
	cr_assert(orig && n > 100);
	m = run_quiet("chart", dir, 0, &rc);
	cr_expect_eq(rc, 0, "the copy fails as it is:\n%s", m);
	free(m);

	char *changed = strdup(orig);
	changed[n / 2] = changed[n / 2] == 'x' ? 'y' : 'x';
	cr_assert_eq(th_write_file(want, changed, n), 0);
	m = run_quiet("chart", dir, 0, &rc);
	cr_expect_neq(rc, 0, "a changed byte passes");
	char *got = actual_path("chart", "bar", "expected.svg");
	cr_expect(strstr(m, want) && strstr(m, got) && strstr(m, "differs"), "the message names both files: %s", m);
	size_t gn;
	char *left = th_read_file(got, &gn);
	cr_expect(left && gn == n && !memcmp(left, orig, n), "the output left in %s is not the chart", got);
	free(left), free(got), free(m), free(changed);

	unlink(want);
	m = run_quiet("chart", dir, 0, &rc);
	cr_expect_neq(rc, 0, "a case without expected.svg passes");
	cr_expect(strstr(m, "missing expected file") != NULL, "%s", m);
	free(m);

	m = run_quiet("chart", dir, 1, &rc);
	cr_expect_eq(rc, 0, "%s", m);
	free(m);
	char *back = th_read_file(want, &gn);
	cr_expect(back && gn == n && !memcmp(back, orig, n), "the update did not write the chart");
	free(back), free(orig), free(want), free(dir);
	th_rmtree(tmp);
	free(tmp);
}

/* Writes a template case into tmp/name reading the shared fixtures, with
 * an expected/ folder holding the given file (none when rel is NULL). */
static char *template_case(const char *tmp, const char *name, const char *rel, const char *text)
{
	char cwd[4096], *dir = th_path(tmp, name);
	cr_assert(getcwd(cwd, sizeof cwd));
	cr_assert_eq(mkdir(dir, 0777), 0);
	char *p = th_path(dir, "case.txt"), txt[9000];
	snprintf(txt, sizeof txt, "templates %s/tests/fixtures/template_basic\ndata %s/tests/fixtures/template_data\n"
				  "audience board\ncensus 2025-09-30\ncapacity yes\n", cwd, cwd);
	cr_assert_eq(th_write_file(p, txt, strlen(txt)), 0);
	free(p);
	p = th_path(dir, "expected");
	cr_assert_eq(mkdir(p, 0777), 0);
	free(p);
	if (rel) {
		p = th_path(dir, rel);
		cr_assert_eq(th_write_file(p, text, strlen(text)), 0, "%s", p);
		free(p);
	}
	return dir;
}

Test(cases, a_template_case_fails_without_its_pages)
{
	char *tmp = th_mkdtemp("cases"), *m;
	int rc;
	char *empty = template_case(tmp, "empty", NULL, NULL);
	m = run_quiet("template", empty, 0, &rc);
	cr_expect_neq(rc, 0, "a case without expected files passes");
	cr_expect(strstr(m, "holds no files") != NULL, "%s", m);
	free(m);
	char *wrong = template_case(tmp, "wrong", "expected/index.html", "<p>not the page</p>\n");
	m = run_quiet("template", wrong, 0, &rc);
	cr_expect_neq(rc, 0, "a wrong page passes");
	cr_expect(strstr(m, "differs") != NULL, "%s", m);
	free(m);
	char *absent = template_case(tmp, "absent", "expected/no_such_page.html", "");
	m = run_quiet("template", absent, 0, &rc);
	cr_expect_neq(rc, 0, "a page the site does not write passes");
	cr_expect(strstr(m, "was not written") != NULL, "%s", m);
	free(m);
	m = run_quiet("no_such_group", absent, 0, &rc);
	cr_expect(rc != 0 && strstr(m, "unknown group"), "an unknown group passes: %s", m);
	free(m);
	free(empty), free(wrong), free(absent);
	th_rmtree(tmp);
	free(tmp);
}
