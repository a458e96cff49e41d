/* The one writer for each text escape the tool's outputs need:
 *   - a CSV field (target/ model tables, rejects and failing rows, the
 *     site's downloads, the synthetic data set);
 *   - a JSON string (target/run_results.json and manifest.json), or with
 *     ESC_JS a JavaScript string for inside a <script> (the search index).
 * HTML text and attribute values are escaped by buf_put_html (util/buf.h),
 * which every page writer already calls; it is the third escape of this
 * family but lives with buf so that writing HTML needs one header.
 *
 * Each escape is written through a put function, so one implementation
 * serves a buf, a FILE and the synthesiser's own output buffer alike. */
#ifndef MM_ESCAPE_H
#define MM_ESCAPE_H
#include <stddef.h>
#include <stdio.h>

/* util/buf.h; named by its tag so that including this header does not
 * bring the typedef buf into files that use buf as a variable name. */
struct buf;

/* Appends the n bytes at s to the destination ctx. */
typedef void esc_put_fn(void *ctx, const char *s, size_t n);

/* Whether the field s (n bytes) must be quoted in CSV: it holds a comma,
 * a double quote, CR or LF, or starts or ends with a space or a tab
 * (libcsv, which reads the files back, trims unquoted edge spaces; so do
 * spreadsheets on import). */
int esc_csv_needs_quotes(const char *s, size_t n);

/* The field s (n bytes) as CSV (RFC 4180): as it is when it needs no
 * quotes, else in double quotes with each quote doubled. */
void esc_csv(const char *s, size_t n, esc_put_fn *put, void *ctx);
/* The same for a NUL-terminated s (NULL is the empty field). */
void esc_csv_buf(struct buf *b, const char *s);
void esc_csv_file(FILE *f, const char *s);

enum {
	/* For a string inside a <script>: '<' as \u003c (no "</script>" can
	 * form) and U+2028, U+2029 escaped (line breaks to older JavaScript). */
	ESC_JS = 1,
};

/* The NUL-terminated s as a double-quoted JSON string (RFC 8259): quote and
 * backslash escaped, \b \f \n \r \t, other control characters and DEL as
 * \u00XX, each byte that is not part of well-formed UTF-8 (utf8.h) as
 * \ufffd; everything else as it is. NULL is "". flags: ESC_JS or 0. */
void esc_json(const char *s, unsigned flags, esc_put_fn *put, void *ctx);
void esc_json_buf(struct buf *b, const char *s, unsigned flags);
void esc_json_file(FILE *f, const char *s, unsigned flags);

#endif
