#include "util/buf.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void reserve(buf *b, size_t extra)
{
	if (b->n + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->n + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void buf_put(buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_put(b, &c, 1);
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void buf_put_html(buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s); break;
		}
	}
}

void buf_free(buf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}

int buf_write_file(const buf *b, const char *path)
{
	size_t n = strlen(path) + 5;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	int rc = -1;
	if (f) {
		size_t w = b->n ? fwrite(b->s, 1, b->n, f) : 0;
		rc = (fclose(f) == 0 && w == b->n) ? 0 : -1;
		if (rc == 0)
			rc = rename(tmp, path);
		else
			remove(tmp);
	}
	free(tmp);
	return rc;
}
