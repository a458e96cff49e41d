/* Working outputs for analysts in the target folder: model tables as CSV,
 * rejected rows, test failures, the machine-readable run record and the
 * project manifest. */
#ifndef MM_TARGET_H
#define MM_TARGET_H
#include "check/check.h"
#include "registry/model.h"

/* Writes target/models/<model>.csv for every selected built model that
 * is materialised as a table (the marts; every model when all is set, for
 * --materialize all), target/rejects.csv, target/test_failures/,
 * target/run_results.json and target/manifest.json (docs/artifacts.md).
 * Returns 0 or EXIT_FAILED after printing an error. */
int target_write(run_ctx *ctx, const int *sel, test_report *rep, const char *dir, const char *verb, int all);
/* Creates dir and its parents. Returns 0 or -1 (errno set). */
int mkdirs(const char *dir);
/* Takes the lock of a folder the run writes (PARENT/.NAME.lock beside
 * it, flock), held until the process exits. what names the folder in the
 * message ("site", "target"). Returns the lock's descriptor (or 0 when
 * this run holds it already), or -1 after printing which run holds it. */
int dir_lock(const char *dir, const char *what);

/* A folder written whole: files go to tmp (PARENT/.NAME.medimart-new,
 * beside dir), and pub_commit swaps it in with one rename. */
typedef struct pub_dir {
	char *dir; /* the real path of the folder */
	char *tmp; /* where to write */
} pub_dir;
/* Creates the empty tmp folder (removing one a killed run left). Returns
 * 0 or EXIT_FAILED after printing an error. */
int pub_begin(pub_dir *p, const char *dir);
/* Copies across from the old folder each file (path from the folder)
 * that keep accepts and tmp does not have (keep may be NULL: none), then
 * swaps tmp in for dir. Returns 0 or EXIT_FAILED after printing an error. */
int pub_commit(pub_dir *p, int (*keep)(const char *rel, void *ud), void *ud);
/* Removes tmp if still there (after a failure) and frees p. */
void pub_end(pub_dir *p);

/* Whether path, symlinks resolved, lies inside the folder root. */
int path_within(const char *root, const char *path);

#endif
