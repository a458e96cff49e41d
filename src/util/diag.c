#include "util/diag.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int diag_quiet;

static const char *const level_name[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};

void diag(enum diag_level lvl, const char *file, long line, long col, const char *fmt, ...)
{
	if (lvl == DIAG_NOTE && diag_quiet)
		return;
	fputs("medimart: ", stderr);
	if (file) {
		fputs(file, stderr);
		if (line > 0)
			fprintf(stderr, ":%ld", line);
		if (line > 0 && col > 0)
			fprintf(stderr, ":%ld", col);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: ", level_name[lvl]);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress(const char *fmt, ...)
{
	if (diag_quiet)
		return;
	fputs("medimart: ", stderr);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
