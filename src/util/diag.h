/* Diagnostics: "medimart: FILE:LINE:COL: LEVEL: message" on stderr.
 * Progress lines go to stderr too and are silenced by -q. stdout is line
 * buffered (diag_init) so that, piped into one log, the two streams keep
 * their order. */
#ifndef MM_DIAG_H
#define MM_DIAG_H
#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Exit statuses of the tool. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_INPUT = 2 };

extern int diag_quiet;

/* Line-buffers stdout and decides on colour: only on a terminal, never
 * when NO_COLOR is set (https://no-color.org). Call once at start. */
void diag_init(void);
/* Whether stream f (stdout or stderr) gets ANSI colour. */
int diag_colour(FILE *f);

/* file may be NULL; line/col of 0 are left out. */
void diag(enum diag_level lvl, const char *file, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A progress line only when none was printed for 2 seconds: for long
 * loads and writes, so that a log never goes quiet for long. Silent until
 * diag_init. */
void progress_tick(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double now_seconds(void);

#endif
