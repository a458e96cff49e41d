/* "{{NAME}}" placeholders (subst.h). */
#include "util/subst.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define SUBST_MAX 1024 /* the longest replacement text */

char *subst_braces(const char *s, subst_fn look, void *arg)
{
	if (!s)
		return NULL;
	size_t cap = strlen(s) + 64, n = 0;
	char *out = xmalloc(cap);
	for (const char *p = s; *p;) {
		const char *end;
		if (p[0] == '{' && p[1] == '{' && (end = strstr(p + 2, "}}"))) {
			char *name = xstrndup(p + 2, (size_t)(end - p - 2));
			char buf[SUBST_MAX];
			const char *v = look(arg, name, buf, sizeof buf);
			free(name);
			size_t k = v ? strlen(v) : (size_t)(end + 2 - p);
			if (n + k + 1 > cap)
				out = xrealloc(out, cap = 2 * (n + k + 1));
			memcpy(out + n, v ? v : p, k);
			n += k;
			p = end + 2;
			continue;
		}
		if (n + 2 > cap)
			out = xrealloc(out, cap *= 2);
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}
