/* The one UTF-8 decoder. Well-formed means RFC 3629: no stray
 * continuation bytes, no truncated sequences, no overlong forms, no
 * encoded surrogates (U+D800-U+DFFF), nothing above U+10FFFF. Every
 * reader that checks or repairs text (the CSV loader, the template
 * check, the JSON and JavaScript string writers, the PDF text and its
 * ToUnicode maps) goes through it, so they agree on what is valid. */
#ifndef MM_UTF8_H
#define MM_UTF8_H
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* The length (1-4) of the well-formed sequence at the start of s, which
 * has n bytes, with its code point in *cp (cp may be NULL); or 0 when the
 * bytes there are not one (or n is 0), with *cp U+FFFD. A NUL byte is
 * U+0000, length 1. A reader that repairs text replaces the first byte
 * of a bad sequence with U+FFFD and decodes again from the next byte, so
 * each bad byte becomes one U+FFFD. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The next code point of the text at *s (before end), advancing *s past
 * it; a byte that does not start a well-formed sequence gives U+FFFD and
 * advances *s by one. */
uint32_t utf8_next(const char **s, const char *end);

/* Writes the UTF-8 form of code point cp (at most U+10FFFF, not a
 * surrogate) to out, which has room for 4 bytes; returns its length. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
