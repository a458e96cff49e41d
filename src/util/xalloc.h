/* Allocation wrappers that abort on out-of-memory, so callers need no checks. */
#ifndef MM_XALLOC_H
#define MM_XALLOC_H
#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);              /* caller frees */
void *xcalloc(size_t n, size_t size); /* caller frees */
void *xrealloc(void *p, size_t n);    /* caller frees */
char *xstrdup(const char *s);         /* caller frees */
char *xstrndup(const char *s, size_t n); /* caller frees */

#endif
