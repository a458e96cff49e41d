/* Diagnostics: "medimart: FILE:LINE:COL: LEVEL: message" on stderr.
 * Progress lines go to stderr too and are silenced by -q. */
#ifndef MM_DIAG_H
#define MM_DIAG_H

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Exit statuses of the tool. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_INPUT = 2 };

extern int diag_quiet;

/* file may be NULL; line/col of 0 are left out. */
void diag(enum diag_level lvl, const char *file, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double now_seconds(void);

#endif
