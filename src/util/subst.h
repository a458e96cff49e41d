/* "{{NAME}}" placeholders in text: the one expander behind template
 * fields, rule words in templates and rule words in model definitions. */
#ifndef MM_SUBST_H
#define MM_SUBST_H
#include <stddef.h>

/* What NAME stands for: a string (buf, of n bytes, may hold it), or NULL
 * to keep "{{NAME}}" as written. */
typedef const char *(*subst_fn)(void *arg, const char *name, char *buf, size_t n);

/* A copy of s with every "{{NAME}}" replaced by look(arg, NAME, ...).
 * NULL for NULL; the caller frees. */
char *subst_braces(const char *s, subst_fn look, void *arg);

#endif
