/* "Did you mean": the nearest known name to a mistyped one. The one
 * edit distance behind the template checks' hints and `medimart lineage`. */
#ifndef MM_SUGGEST_H
#define MM_SUGGEST_H
#include <stddef.h>

/* The index in names[0..n) of the name nearest to word, counting single
 * letters inserted, deleted or replaced (letters compared without case),
 * if it is at most max_edits away; among equals the first wins. -1 when
 * no name is that close. */
int suggest_nearest(const char *word, const char *const *names, int n, size_t max_edits);

#endif
