/* Growable byte buffer for building output text. */
#ifndef MM_BUF_H
#define MM_BUF_H
#include <stddef.h>

typedef struct buf {
	char *s;   /* always NUL-terminated once anything was added */
	size_t n, cap;
} buf;

void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for HTML/XML text and attribute values (& < > " '). */
void buf_put_html(buf *b, const char *s);
void buf_free(buf *b);
/* Writes b to path atomically (path.tmp then rename). Returns 0 or -1. */
int buf_write_file(const buf *b, const char *path);

#endif
