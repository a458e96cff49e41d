/* The one CSV field writer, the one JSON string writer (util/escape.h)
 * and the one UTF-8 decoder (util/utf8.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/escape.h"
#include "util/utf8.h"

static char *csv(const char *s)
{
	buf b = {0};
	buf_puts(&b, "");
	esc_csv_buf(&b, s);
	return b.s;
}

static void expect_csv(const char *in, const char *want)
{
	char *got = csv(in);
	cr_expect_str_eq(got, want, "CSV of [%s]", in ? in : "(null)");
	free(got);
}

Test(escape, csv_quotes_only_when_needed)
{
	expect_csv("plain", "plain");
	expect_csv("two words", "two words");
	expect_csv("", "");
	expect_csv(NULL, "");
	expect_csv("a,b", "\"a,b\"");
	expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_csv("\"", "\"\"\"\"");
	expect_csv("line\nbreak", "\"line\nbreak\"");
	expect_csv("cr\rhere", "\"cr\rhere\"");
	/* libcsv trims unquoted edge spaces: they are kept only in quotes. */
	expect_csv(" lead", "\" lead\"");
	expect_csv("trail ", "\"trail \"");
	expect_csv("\ttab", "\"\ttab\"");
	expect_csv("tab\t", "\"tab\t\"");
	expect_csv(" ", "\" \"");
	expect_csv("in\tside", "in\tside");
	expect_csv("caf\xc3\xa9", "caf\xc3\xa9");
}

Test(escape, csv_to_a_file_is_the_same)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	esc_csv_file(f, " x,\"y\" ");
	fclose(f);
	cr_expect_str_eq(out, "\" x,\"\"y\"\" \"");
	free(out);
	cr_expect(!esc_csv_needs_quotes("abc", 3));
	cr_expect(!esc_csv_needs_quotes("ab,", 2), "only the first n bytes count");
	cr_expect(esc_csv_needs_quotes("ab ", 3));
}

static char *json(const char *s, unsigned flags)
{
	buf b = {0};
	esc_json_buf(&b, s, flags);
	return b.s;
}

static void expect_json(const char *in, unsigned flags, const char *want)
{
	char *got = json(in, flags);
	cr_expect_str_eq(got, want, "JSON of [%s]", in ? in : "(null)");
	free(got);
}

Test(escape, json_escapes_quotes_backslash_and_controls)
{
	expect_json(NULL, 0, "\"\"");
	expect_json("", 0, "\"\"");
	expect_json("plain </b>", 0, "\"plain </b>\"");
	expect_json("q\"b\\s/", 0, "\"q\\\"b\\\\s/\"");
	expect_json("a\nb\tc\rd\be\ff", 0, "\"a\\nb\\tc\\rd\\be\\ff\"");
	expect_json("\x01\x1f\x7f", 0, "\"\\u0001\\u001f\\u007f\"");
	expect_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* U+2028 is valid JSON as it is; only a script needs it escaped. */
	expect_json("a\xe2\x80\xa8z", 0, "\"a\xe2\x80\xa8z\"");
}

Test(escape, json_repairs_invalid_utf8_byte_by_byte)
{
	expect_json("a\x80z", 0, "\"a\\ufffdz\"");                  /* stray continuation byte */
	expect_json("bad\xff", 0, "\"bad\\ufffd\"");                /* never a UTF-8 byte */
	expect_json("cut\xe2\x82", 0, "\"cut\\ufffd\\ufffd\"");     /* truncated at the end */
	expect_json("\xe2\x82(", 0, "\"\\ufffd\\ufffd(\"");         /* truncated before ASCII */
	expect_json("\xc0\xaf", 0, "\"\\ufffd\\ufffd\"");           /* overlong '/' */
	expect_json("\xe0\x80\xaf", 0, "\"\\ufffd\\ufffd\\ufffd\""); /* overlong, three bytes */
	expect_json("\xed\xa0\x80", 0, "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate U+D800 */
	expect_json("\xf4\x90\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* U+110000 */
}

Test(escape, json_for_a_script)
{
	expect_json("</script><b>", ESC_JS, "\"\\u003c/script>\\u003cb>\"");
	expect_json("line\xe2\x80\xa8sep\xe2\x80\xa9", ESC_JS, "\"line\\u2028sep\\u2029\"");
	expect_json("\"\\\n", ESC_JS, "\"\\\"\\\\\\n\"");
	expect_json("\xed\xa0\x80", ESC_JS, "\"\\ufffd\\ufffd\\ufffd\"");

	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	esc_json_file(f, "x\xff<", ESC_JS);
	fclose(f);
	cr_expect_str_eq(out, "\"x\\ufffd\\u003c\"");
	free(out);
}

/* utf8_decode of the whole string s: its length and code point. */
static size_t dec(const char *s, uint32_t *cp)
{
	return utf8_decode(s, strlen(s), cp);
}

Test(utf8, decodes_one_to_four_bytes)
{
	uint32_t cp;
	cr_expect_eq(dec("A", &cp), 1);
	cr_expect_eq(cp, 0x41);
	cr_expect_eq(utf8_decode("", 1, &cp), 1, "a NUL byte is U+0000");
	cr_expect_eq(cp, 0);
	cr_expect_eq(dec("\x7f", &cp), 1);
	cr_expect_eq(dec("\xc2\x80", &cp), 2);
	cr_expect_eq(cp, 0x80);
	cr_expect_eq(dec("\xc3\xa9", &cp), 2);
	cr_expect_eq(cp, 0xE9);
	cr_expect_eq(dec("\xdf\xbf", &cp), 2);
	cr_expect_eq(cp, 0x7FF);
	cr_expect_eq(dec("\xe0\xa0\x80", &cp), 3);
	cr_expect_eq(cp, 0x800);
	cr_expect_eq(dec("\xe2\x82\xac", &cp), 3);
	cr_expect_eq(cp, 0x20AC);
	cr_expect_eq(dec("\xed\x9f\xbf", &cp), 3);
	cr_expect_eq(cp, 0xD7FF);
	cr_expect_eq(dec("\xee\x80\x80", &cp), 3);
	cr_expect_eq(cp, 0xE000);
	cr_expect_eq(dec("\xef\xbf\xbd", &cp), 3);
	cr_expect_eq(cp, 0xFFFD);
	cr_expect_eq(dec("\xf0\x90\x80\x80", &cp), 4);
	cr_expect_eq(cp, 0x10000);
	cr_expect_eq(dec("\xf0\x9f\x98\x80", &cp), 4);
	cr_expect_eq(cp, 0x1F600);
	cr_expect_eq(dec("\xf4\x8f\xbf\xbf", &cp), 4);
	cr_expect_eq(cp, 0x10FFFF);
	cr_expect_eq(dec("\xc3\xa9rest", NULL), 2, "cp may be NULL; only the first sequence counts");
}

static void expect_bad(const char *s, size_t n)
{
	uint32_t cp = 0;
	cr_expect_eq(utf8_decode(s, n, &cp), 0, "%02x.. (%zu bytes) is not UTF-8", (unsigned char)s[0], n);
	cr_expect_eq(cp, UTF8_REPLACEMENT);
}

Test(utf8, rejects_what_is_not_well_formed)
{
	uint32_t cp;
	cr_expect_eq(utf8_decode("A", 0, &cp), 0, "nothing to decode");
	/* Stray continuation bytes and bytes never in UTF-8. */
	expect_bad("\x80", 1);
	expect_bad("\xbf", 1);
	expect_bad("\xf5\x80\x80\x80", 4);
	expect_bad("\xff", 1);
	/* Truncated: by the end of the text, or by a byte that does not continue. */
	expect_bad("\xc3", 1);
	expect_bad("\xe2\x82", 2);
	expect_bad("\xf0\x9f\x98", 3);
	expect_bad("\xe2\x82\xac", 2);
	expect_bad("\xe2(\xac", 3);
	expect_bad("\xf0\x9f\x98" "A", 4);
	expect_bad("\xc3", 2); /* the NUL after it */
	/* Overlong forms. */
	expect_bad("\xc0\x80", 2);
	expect_bad("\xc1\xbf", 2);
	expect_bad("\xe0\x80\x80", 3);
	expect_bad("\xe0\x9f\xbf", 3);
	expect_bad("\xf0\x80\x80\x80", 4);
	expect_bad("\xf0\x8f\xbf\xbf", 4);
	/* Surrogates U+D800-U+DFFF. */
	expect_bad("\xed\xa0\x80", 3);
	expect_bad("\xed\xbf\xbf", 3);
	/* Past U+10FFFF. */
	expect_bad("\xf4\x90\x80\x80", 4);
	expect_bad("\xf7\xbf\xbf\xbf", 4);
}

Test(utf8, next_steps_over_bad_bytes_one_at_a_time)
{
	const char text[] = "a\xc3\xa9\xed\xa0\x80\xe2\x82";
	const char *s = text, *end = text + sizeof text - 1;
	uint32_t want[] = {'a', 0xE9, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD};
	size_t k = 0;
	for (; s < end && k < sizeof want / sizeof want[0]; k++)
		cr_expect_eq(utf8_next(&s, end), want[k], "code point %zu", k);
	cr_expect_eq(k, sizeof want / sizeof want[0]);
	cr_expect_eq(s, end);
}

Test(utf8, encode_is_the_inverse)
{
	uint32_t cps[] = {0, 0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char t[4];
		uint32_t back = 0;
		size_t n = utf8_encode(cps[i], t);
		cr_expect_eq(n, cps[i] < 0x80 ? 1u : cps[i] < 0x800 ? 2u : cps[i] < 0x10000 ? 3u : 4u);
		cr_expect_eq(utf8_decode(t, n, &back), n, "U+%04X", (unsigned)cps[i]);
		cr_expect_eq(back, cps[i]);
	}
}
