#include "util/diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int diag_quiet;
static int colour_out, colour_err;
static double last_progress;

static const char *const level_name[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};
/* Bold yellow for warnings, bold red for errors. */
static const char *const level_colour[] = {[DIAG_NOTE] = "", [DIAG_WARNING] = "\033[1;33m",
					   [DIAG_ERROR] = "\033[1;31m"};

void diag_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	int allow = !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	colour_out = allow && isatty(STDOUT_FILENO);
	colour_err = allow && isatty(STDERR_FILENO);
	last_progress = now_seconds();
}

int diag_colour(FILE *f)
{
	return f == stdout ? colour_out : f == stderr ? colour_err : 0;
}

/* Writes s to stderr with control bytes as \xHH: a message quoting input
 * (a file name, a cell, a template line) never moves a terminal's cursor
 * or splits a log line. */
static void put_clean(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7F)
			fprintf(stderr, "\\x%02X", c);
		else
			fputc(c, stderr);
	}
}

void diag(enum diag_level lvl, const char *file, long line, long col, const char *fmt, ...)
{
	if (lvl == DIAG_NOTE && diag_quiet)
		return;
	fflush(stdout);
	fputs("medimart: ", stderr);
	if (file) {
		put_clean(file);
		if (line > 0)
			fprintf(stderr, ":%ld", line);
		if (line > 0 && col > 0)
			fprintf(stderr, ":%ld", col);
		fputs(": ", stderr);
	}
	if (colour_err && *level_colour[lvl])
		fprintf(stderr, "%s%s:\033[0m ", level_colour[lvl], level_name[lvl]);
	else
		fprintf(stderr, "%s: ", level_name[lvl]);
	char small[512], *msg = small;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof small) {
		msg = malloc((size_t)n + 1);
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)n + 1, fmt, ap);
			va_end(ap);
		} else
			msg = small; /* cut short rather than not said */
	}
	put_clean(msg);
	if (msg != small)
		free(msg);
	fputc('\n', stderr);
}

static void vprogress(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("medimart: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	last_progress = now_seconds();
}

void progress(const char *fmt, ...)
{
	if (diag_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprogress(fmt, ap);
	va_end(ap);
}

void progress_tick(const char *fmt, ...)
{
	/* Only in the command (diag_init set the clock); unit tests that
	 * capture stderr never see these lines, however slowly they run. */
	if (diag_quiet || last_progress == 0 || now_seconds() - last_progress < 2.0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprogress(fmt, ap);
	va_end(ap);
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
