/* CSV and JSON escaping (see escape.h). */
#include "util/escape.h"
#include "util/buf.h"
#include "util/utf8.h"
#include <string.h>

static void put_buf(void *ctx, const char *s, size_t n)
{
	buf_put(ctx, s, n);
}

static void put_file(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

/* ---- CSV ---- */

int esc_csv_needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

void esc_csv(const char *s, size_t n, esc_put_fn *put, void *ctx)
{
	if (!esc_csv_needs_quotes(s, n)) {
		put(ctx, s, n);
		return;
	}
	put(ctx, "\"", 1);
	for (const char *end = s + n; s < end;) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		if (!q) {
			put(ctx, s, (size_t)(end - s));
			break;
		}
		put(ctx, s, (size_t)(q + 1 - s));
		put(ctx, "\"", 1); /* the quote doubled */
		s = q + 1;
	}
	put(ctx, "\"", 1);
}

void esc_csv_buf(buf *b, const char *s)
{
	s = s ? s : "";
	esc_csv(s, strlen(s), put_buf, b);
}

void esc_csv_file(FILE *f, const char *s)
{
	s = s ? s : "";
	esc_csv(s, strlen(s), put_file, f);
}

/* ---- JSON ---- */

void esc_json(const char *str, unsigned flags, esc_put_fn *put, void *ctx)
{
	const char *s = str ? str : "", *end = s + strlen(s);
	const char *run = s; /* start of the bytes that go out as they are */
	char tmp[8];
	put(ctx, "\"", 1);
	while (s < end) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		size_t len = 1;
		if (c >= 0x80) {
			uint32_t cp;
			len = utf8_decode(s, (size_t)(end - s), &cp);
			if (len == 0)
				esc = "\\ufffd", len = 1;
			else if ((flags & ESC_JS) && (cp == 0x2028 || cp == 0x2029))
				esc = cp == 0x2028 ? "\\u2028" : "\\u2029";
		} else {
			switch (c) {
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			case '\b': esc = "\\b"; break;
			case '\f': esc = "\\f"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			case '<':
				if (flags & ESC_JS)
					esc = "\\u003c";
				break;
			default:
				if (c < 0x20 || c == 0x7F) {
					snprintf(tmp, sizeof tmp, "\\u%04x", c);
					esc = tmp;
				}
			}
		}
		if (esc) {
			if (s > run)
				put(ctx, run, (size_t)(s - run));
			put(ctx, esc, strlen(esc));
			run = s + len;
		}
		s += len;
	}
	if (s > run)
		put(ctx, run, (size_t)(s - run));
	put(ctx, "\"", 1);
}

void esc_json_buf(buf *b, const char *s, unsigned flags)
{
	esc_json(s, flags, put_buf, b);
}

void esc_json_file(FILE *f, const char *s, unsigned flags)
{
	esc_json(s, flags, put_file, f);
}
