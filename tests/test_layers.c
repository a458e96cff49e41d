/* The source folders' dependencies point one way (docs/architecture.md):
 * a file includes headers of its own folder or of folders below it in
 * the pipeline, never above. Reads every file under src/ from the
 * repository root, as `make test` runs the tests. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lowest first. The model layers share one rank: a layer reads the
 * registry, the shared helpers of models/ and the rules of models/rules/,
 * never another layer's files (checked separately below): models read
 * each other's tables through the registry, not each other's code. */
static const char *const order[] = {
	"util", "core", "contract", "load", "registry", "models", "check", "run",
	"draw", "template", "query", "out/html", "out/pdf", "site", "synth", "cli",
};
#define NORDER (int)(sizeof order / sizeof order[0])

/* The folder rank of a path below src/ ("models/marts/x.c" -> models). */
static int rank_of(const char *rel)
{
	for (int i = NORDER - 1; i >= 0; i--) {
		size_t n = strlen(order[i]);
		if (!strncmp(rel, order[i], n) && rel[n] == '/')
			return i;
	}
	return -1;
}

/* The model layer of a path ("marts" for models/marts/x.c), or "" for a
 * file of models/ itself, or NULL outside models/. */
static const char *layer_of(const char *rel, char *out, size_t n)
{
	if (strncmp(rel, "models/", 7))
		return NULL;
	const char *p = rel + 7, *slash = strchr(p, '/');
	if (!slash)
		return "";
	snprintf(out, n, "%.*s", (int)(slash - p), p);
	return out;
}

static int problems;
static int quiet; /* the probe below: count, do not report */

static void check_file(const char *path, const char *rel)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	int me = rank_of(rel);
	cr_expect(me >= 0, "%s lies in no folder of the declared order", rel);
	char line[512], inc[256], mine[64], theirs[64];
	for (int ln = 1; fgets(line, sizeof line, f); ln++) {
		if (sscanf(line, " #include \"%255[^\"]\"", inc) != 1 || !strchr(inc, '/'))
			continue;
		int them = rank_of(inc);
		if (them < 0 || them > me) {
			if (!quiet)
				cr_log_error("%s:%d includes %s, a folder above its own", rel, ln, inc);
			problems++;
		}
		const char *a = layer_of(rel, mine, sizeof mine), *b = layer_of(inc, theirs, sizeof theirs);
		if (a && b && *a && *b && strcmp(a, b) && strcmp(b, "rules")) {
			if (!quiet)
				cr_log_error("%s:%d includes %s, another model layer's file", rel, ln, inc);
			problems++;
		}
	}
	fclose(f);
}

static int walk(const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s (run from the repository root)", dir);
	int files = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024], sub[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		struct stat st;
		if (stat(path, &st))
			continue;
		size_t n = strlen(e->d_name);
		if (S_ISDIR(st.st_mode))
			files += walk(path, sub);
		else if (n > 2 && e->d_name[n - 2] == '.' && (e->d_name[n - 1] == 'c' || e->d_name[n - 1] == 'h')) {
			check_file(path, sub);
			files++;
		}
	}
	closedir(d);
	return files;
}

Test(layers, includes_point_down_the_pipeline)
{
	problems = 0;
	int files = walk("src", "");
	cr_expect_gt(files, 100, "only %d source files found under src/", files);
	cr_expect_eq(problems, 0, "%d includes point up the pipeline or across model layers", problems);
}

Test(layers, a_folder_above_is_caught)
{
	cr_expect_gt(rank_of("site/site.c"), rank_of("query/query.h"));
	cr_expect_gt(rank_of("out/pdf/pack.c"), rank_of("out/html/html.h"));
	cr_expect_lt(rank_of("models/marts/x.c"), rank_of("check/check.h"));
	cr_expect_eq(rank_of("models/marts/x.c"), rank_of("models/mart_util.h"));
	cr_expect_eq(rank_of("render/x.c"), -1);
	char b[64];
	cr_expect_str_eq(layer_of("models/marts/fct.c", b, sizeof b), "marts");
	cr_expect_str_eq(layer_of("models/spc.h", b, sizeof b), "");
	cr_expect_null(layer_of("query/query.c", b, sizeof b));
	/* A file that reaches up, and one that reaches across layers. */
	char path[] = "/tmp/mm-layers-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	fputs("#include \"util/buf.h\"\n#include \"site/site.h\"\n#include \"models/staging/stg_util.h\"\n", f);
	fclose(f);
	problems = 0;
	quiet = 1;
	check_file(path, "models/marts/probe.c");
	cr_expect_eq(problems, 2, "the probe's two bad includes gave %d problems", problems);
	problems = 0;
	check_file(path, "cli/probe.c");
	cr_expect_eq(problems, 0);
	quiet = 0;
	remove(path);
}
