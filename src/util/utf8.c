/* The one UTF-8 decoder (see utf8.h). */
#include "util/utf8.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, dummy;
	size_t len;
	/* The second byte's range does the work of the overlong, surrogate
	 * and > U+10FFFF checks (RFC 3629, table of well-formed sequences). */
	unsigned char lo = 0x80, hi = 0xBF;
	if (!cp)
		cp = &dummy;
	*cp = UTF8_REPLACEMENT;
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F;
		if (s[0] == 0xE0)
			lo = 0xA0; /* below: overlong */
		else if (s[0] == 0xED)
			hi = 0x9F; /* above: surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07;
		if (s[0] == 0xF0)
			lo = 0x90; /* below: overlong */
		else if (s[0] == 0xF4)
			hi = 0x8F; /* above: past U+10FFFF */
	} else
		return 0; /* a continuation byte, C0/C1 (always overlong) or F5-FF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0; /* also stops at a NUL inside the sequence */
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

uint32_t utf8_next(const char **s, const char *end)
{
	uint32_t cp;
	size_t len = utf8_decode(*s, (size_t)(end - *s), &cp);
	*s += len ? len : 1;
	return cp;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *t = (unsigned char *)out;
	if (cp < 0x80) {
		t[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		t[0] = (unsigned char)(0xC0 | cp >> 6);
		t[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		t[0] = (unsigned char)(0xE0 | cp >> 12);
		t[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	t[0] = (unsigned char)(0xF0 | cp >> 18);
	t[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	t[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	t[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}
