/* The PDF device: fonts, measuring, line breaking, page breaks of tables
 * and headings, and deterministic output. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "out/pdf/pdf_impl.h"

static const pdf_info info = {.title = "Test pack: Zoë O'Brien", .subtitle = "Víctor", .org = "Trust",
			      .census = "30 September 2025", .audience = "Board", .version = "MediMart test",
			      .date_days = 20361};

static pdf_doc *doc(void)
{
	char err[512];
	pdf_doc *d = pdf_new(&info, NULL, err, sizeof err);
	cr_assert(d, "%s", err);
	return d;
}

Test(pdf, missing_font_dir_names_the_file)
{
	char err[512];
	cr_assert_null(pdf_new(&info, "/nonexistent/fonts", err, sizeof err));
	cr_assert(strstr(err, "/nonexistent/fonts/DejaVuSans.ttf"), "%s", err);
	cr_assert(strstr(err, "fonts-dejavu-core"), "%s", err);
}

/* A machine with fonts-dejavu-core alone: the oblique face is missing and
 * the message names the package that has it. */
Test(pdf, missing_extra_face_names_its_package)
{
	char dir[] = "/tmp/medimart-fonts-XXXXXX", err[512], src[256], dst[256];
	cr_assert_not_null(mkdtemp(dir));
	for (int i = 0; i < 2; i++) {
		const char *f = i ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf";
		snprintf(src, sizeof src, "/usr/share/fonts/truetype/dejavu/%s", f);
		snprintf(dst, sizeof dst, "%s/%s", dir, f);
		cr_assert_eq(symlink(src, dst), 0);
	}
	cr_assert_null(pdf_new(&info, dir, err, sizeof err));
	cr_assert(strstr(err, "DejaVuSans-Oblique.ttf") && strstr(err, "fonts-dejavu-extra"), "%s", err);
	for (int i = 0; i < 2; i++) {
		snprintf(dst, sizeof dst, "%s/%s", dir, i ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf");
		unlink(dst);
	}
	rmdir(dir);
}

Test(pdf, widths_are_measured_per_character)
{
	pdf_doc *d = doc();
	double a = pdf_text_width(d, PF_REGULAR, 10, "Zo", 2), b = pdf_text_width(d, PF_REGULAR, 10, "ë", 2);
	double ab = pdf_text_width(d, PF_REGULAR, 10, "Zoë", 4);
	cr_assert(a > 0 && b > 0);
	cr_assert_float_eq(ab, a + b, 1e-9);
	cr_assert_float_eq(pdf_text_width(d, PF_REGULAR, 20, "Zoë", 4), 2 * ab, 1e-9);
	cr_assert(pdf_text_width(d, PF_BOLD, 10, "Zoë", 4) > ab, "bold is wider");
	/* Widths are looked up once per face and character, then remembered:
	 * the same as libharu's own, first time and after. */
	for (int k = 0; k < 2; k++) {
		cr_assert_float_eq(pdf_text_width(d, PF_BOLD, 1000, "W", 1),
				   HPDF_Font_GetUnicodeWidth(pdf_font(d, PF_BOLD), 'W'), 1e-9);
		cr_assert_float_eq(pdf_text_width(d, PF_REGULAR, 1000, "\xe2\x80\x94", 3),
				   HPDF_Font_GetUnicodeWidth(pdf_font(d, PF_REGULAR), 0x2014), 1e-9, "an em dash");
	}
	pdf_discard(d);
}

Test(pdf, clean_text_drops_controls_and_repairs_utf8)
{
	char *s = pdf_clean_text("a\tb\x01" "c\xff" "d\xc3");
	cr_assert_str_eq(s, "a bc\xef\xbf\xbd" "d\xef\xbf\xbd");
	free(s);
}

Test(pdf, paragraphs_wrap_to_the_line_and_break_long_words)
{
	pdf_doc *d = doc();
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "short", PF_REGULAR, NHS_TEXT);
	double one = pdf_para_height(d, &p);
	cr_assert_float_eq(one, PDF_BODY.leading + PDF_BODY.space_after, 1e-9);
	pdf_para_free(&p);

	pdf_para_init(&p, &PDF_BODY);
	for (int i = 0; i < 40; i++)
		pdf_para_add(&p, "waiting list ", i % 2 ? PF_BOLD : PF_REGULAR, NHS_TEXT);
	double w = 40 * pdf_text_width(d, PF_BOLD, PDF_BODY.size, "waiting list ", 13);
	int lines = (int)((pdf_para_height(d, &p) - PDF_BODY.space_after) / PDF_BODY.leading + 0.5);
	cr_assert(lines >= (int)(w / pdf_content_width(d)), "%d lines for %.0f points", lines, w);
	cr_assert(lines <= (int)(w / pdf_content_width(d)) + 3, "%d lines for %.0f points", lines, w);
	pdf_para_free(&p);

	/* One word three lines long is broken between characters. */
	char word[400];
	memset(word, 'W', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, word, PF_REGULAR, NHS_TEXT);
	double cw = pdf_text_width(d, PF_REGULAR, PDF_BODY.size, "W", 1);
	int per = (int)(pdf_content_width(d) / cw), n = (int)strlen(word);
	lines = (int)((pdf_para_height(d, &p) - PDF_BODY.space_after) / PDF_BODY.leading + 0.5);
	cr_assert_eq(lines, (n + per - 1) / per, "%d lines of %d characters for %d", lines, per, n);
	pdf_para_free(&p);
	pdf_discard(d);
}

/* One word of 4 MB (a hostile Trust name) breaks in linear time: before,
 * each line summed every remaining piece of the word, and a 10 MB name
 * kept build busy for more than 600 s. */
Test(pdf, one_huge_word_breaks_in_linear_time, .timeout = 8)
{
	enum { N = 4 << 20 };
	char *word = malloc(N + 1);
	cr_assert_not_null(word);
	memset(word, 'W', N);
	word[N] = '\0';
	pdf_doc *d = doc();
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "Trust:", PF_BOLD, NHS_TEXT);
	pdf_para_add(&p, " ", PF_REGULAR, NHS_TEXT);
	pdf_para_add(&p, word, PF_REGULAR, NHS_TEXT);
	double cw = pdf_text_width(d, PF_REGULAR, PDF_BODY.size, "W", 1);
	int per = (int)(pdf_content_width(d) / cw);
	long lines = (long)((pdf_para_height(d, &p) - PDF_BODY.space_after) / PDF_BODY.leading + 0.5);
	/* "Trust:" then as many W as fit, then full lines of W. */
	cr_expect(lines >= (N + per - 1) / per && lines <= (N + per - 1) / per + 1, "%ld lines of %d for %d", lines,
		  per, N);
	pdf_para_free(&p);
	pdf_discard(d);
	free(word);
}

Test(pdf, long_tables_continue_on_new_pages)
{
	pdf_doc *d = doc();
	enum { N = 200 };
	const char *head[2] = {"Specialty", "Open pathways"};
	static const char *cells[2 * N];
	for (int i = 0; i < N; i++) {
		cells[2 * i] = "Trauma and Orthopaedics";
		cells[2 * i + 1] = "1,234";
	}
	unsigned char num[2] = {0, 1};
	pdf_table t = {2, N, head, cells, num, "A long table"};
	pdf_table_flow(d, &t);
	int pages = pdf_body_pages(d);
	cr_assert(pages >= 3, "%d pages", pages);
	cr_assert(d->y <= pdf_bottom(), "the last row ends inside the margin");
	pdf_discard(d);
}

Test(pdf, a_heading_is_not_left_at_the_foot_of_a_page)
{
	pdf_doc *d = doc();
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "text", PF_REGULAR, NHS_TEXT);
	while (d->y < pdf_bottom() - 40 && pdf_body_pages(d) <= 1)
		pdf_para_flow(d, &p);
	pdf_para_free(&p);
	int before = pdf_body_pages(d);
	pdf_heading(d, 1, "Risk backlog", 70);
	cr_assert_eq(pdf_body_pages(d), before + 1, "the heading moved to a new page");
	cr_assert_eq(d->ntoc, 1);
	cr_assert_eq(d->toc[0].page, before, "its contents entry points at the new page");
	pdf_discard(d);
}

static void build(buf *out, int *pages)
{
	pdf_doc *d = doc();
	pdf_heading(d, 1, "Executive summary", 70);
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "Víctor, Zoë and O'Brien (escaped: \\ ( ) <b>)", PF_REGULAR, NHS_TEXT);
	pdf_para_flow(d, &p);
	pdf_para_free(&p);
	pdf_tile tiles[2] = {{"Waiting list size", "5,096", NULL, "Lower is better.", NHS_MID_GREY},
			     {"Within 18 weeks", "60.1%", "✗ Red", "Standard: 92%.", 0xD5281Bu}};
	pdf_tiles_flow(d, tiles, 2);
	char err[256];
	cr_assert_eq(pdf_finish(d, out, pages, err, sizeof err), 0, "%s", err);
}

/* A title and a heading over libharu's 65,535-byte string limit: the pack
 * is still written (before: "libharu error 0x105B", naming no input), the
 * outline entry and the document title shortened with an ellipsis. */
Test(pdf, titles_over_the_string_limit_are_shortened)
{
	enum { N = 100000 };
	char *name = malloc(N + 1);
	cr_assert_not_null(name);
	memset(name, 'N', N);
	name[N] = '\0';
	pdf_info in = info;
	in.title = name;
	in.org = name;
	char err[512];
	pdf_doc *d = pdf_new(&in, NULL, err, sizeof err);
	cr_assert(d, "%s", err);
	pdf_heading(d, 1, name, 70);
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "Text.", PF_REGULAR, NHS_TEXT);
	pdf_para_flow(d, &p);
	pdf_para_free(&p);
	buf out = {0};
	int pages;
	cr_expect_eq(pdf_finish(d, &out, &pages, err, sizeof err), 0, "%s", err);
	size_t run = 0, longest = 0;
	int ellipsis = 0;
	for (size_t i = 0; i < out.n; i++) {
		if (run == 997 && out.s[i] == '.' && i + 2 < out.n && !strncmp(out.s + i, "...", 3))
			ellipsis = 1;
		run = out.s[i] == 'N' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	cr_expect_eq(longest, 997, "the longest string of the name: %zu bytes", longest);
	cr_expect(ellipsis, "no ellipsis after the shortened name");
	buf_free(&out);
	free(name);
}

Test(pdf, same_input_same_bytes)
{
	buf a = {0}, b = {0};
	int pa, pb;
	build(&a, &pa);
	build(&b, &pb);
	cr_assert_eq(pa, 3, "cover, contents and one page: %d", pa);
	cr_assert_eq(pa, pb);
	cr_assert_eq(a.n, b.n);
	cr_assert_eq(memcmp(a.s, b.s, a.n), 0);
	cr_assert_eq(memcmp(a.s, "%PDF-", 5), 0);
	cr_assert(strstr(a.s, "/CreationDate (D:20250930"), "the date comes from pdf_info");
	buf_free(&a);
	buf_free(&b);
}

/* A paragraph of exactly n lines at the body width. */
static void lines_para(pdf_doc *d, pdf_para *p, int n)
{
	pdf_para_init(p, &PDF_BODY);
	while ((int)((pdf_para_height(d, p) - PDF_BODY.space_after) / PDF_BODY.leading + 0.5) < n)
		pdf_para_add(p, "waiting ", PF_REGULAR, NHS_TEXT);
	cr_assert_eq((int)((pdf_para_height(d, p) - PDF_BODY.space_after) / PDF_BODY.leading + 0.5), n);
}

Test(pdf, no_orphan_first_line_at_the_foot_of_a_page)
{
	pdf_doc *d = doc();
	pdf_para p;
	lines_para(d, &p, 3);
	pdf_page(d);
	d->fresh = 0;
	d->y = pdf_bottom() - PDF_BODY.leading * 1.5; /* room for one line */
	pdf_para_flow(d, &p);
	cr_assert_eq(pdf_body_pages(d), 2);
	cr_assert_float_eq(d->y, PDF_MARGIN_TOP + 3 * PDF_BODY.leading + PDF_BODY.space_after, 1e-6,
			   "all three lines on the new page");
	pdf_para_free(&p);
	pdf_discard(d);
}

Test(pdf, no_widow_last_line_at_the_top_of_a_page)
{
	pdf_doc *d = doc();
	pdf_para p;
	lines_para(d, &p, 4);
	pdf_page(d);
	d->fresh = 0;
	d->y = pdf_bottom() - PDF_BODY.leading * 3.5; /* room for three lines */
	pdf_para_flow(d, &p);
	cr_assert_eq(pdf_body_pages(d), 2);
	cr_assert_float_eq(d->y, PDF_MARGIN_TOP + 2 * PDF_BODY.leading + PDF_BODY.space_after, 1e-6,
			   "two lines carried over, not one");
	pdf_para_free(&p);
	pdf_discard(d);
}

/* Whether the bytes of b hold s (annotations are not in compressed streams). */
static int has_bytes(const buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->n; i++)
		if (!memcmp(b->s + i, s, n))
			return 1;
	return 0;
}

Test(pdf, absolute_links_are_clickable_and_site_links_are_text)
{
	pdf_doc *d = doc();
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "See ", PF_REGULAR, NHS_TEXT);
	pdf_para_add_link(&p, "the guidance", PF_REGULAR, NHS_BLUE, "https://example.org/rtt");
	pdf_para_add_link(&p, " and the site", PF_REGULAR, NHS_BLUE, "overdue.md");
	cr_assert_str_eq(p.v[1].uri, "https://example.org/rtt");
	cr_assert_null(p.v[2].uri, "a relative link has no target on paper");
	pdf_para_flow(d, &p);
	pdf_para_free(&p);
	buf out = {0};
	char err[256];
	cr_assert_eq(pdf_finish(d, &out, NULL, err, sizeof err), 0, "%s", err);
	/* libharu writes "/" in strings as the octal escape \057. */
	cr_assert(has_bytes(&out, "/URI (https:\\057\\057example.org\\057rtt)"), "a URI action");
	cr_assert(!has_bytes(&out, "overdue.md"));
	buf_free(&out);
}

/* The ToUnicode map: bfrange lines only, one per run of drawn characters,
 * a run never crossing a high byte, at most 100 lines a block. */
Test(pdf, tounicode_map_has_ranges_of_the_drawn_characters)
{
	unsigned char *used = calloc(PDF_CODES / 8, 1);
	cr_assert_not_null(used);
	static const unsigned set[] = {0x41, 0x42, 0x43, 0xFE, 0xFF, 0x100, 0x101, 0x2713};
	for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
		used[set[i] >> 3] |= (unsigned char)(1u << (set[i] & 7));
	buf b = {0};
	pdf_tounicode_cmap(used, &b);
	cr_assert(strstr(b.s, "4 beginbfrange\n<0041> <0043> <0041>\n<00FE> <00FF> <00FE>\n<0100> <0101> <0100>\n"
			      "<2713> <2713> <2713>\nendbfrange\n"), "%s", b.s);
	cr_assert_null(strstr(b.s, "cidrange"));
	cr_assert(strstr(b.s, "/CMapType 2 def"));
	buf_free(&b);
	/* 250 separate characters: blocks of 100, 100 and 50. */
	memset(used, 0, PDF_CODES / 8);
	for (unsigned i = 0; i < 250; i++)
		used[(0x4E00 + 2 * i) >> 3] |= (unsigned char)(1u << ((0x4E00 + 2 * i) & 7));
	pdf_tounicode_cmap(used, &b);
	cr_assert(strstr(b.s, "100 beginbfrange") && strstr(b.s, "50 beginbfrange"), "%s", b.s);
	buf_free(&b);
	free(used);
}

/* A document's ToUnicode streams are libharu's no more: no cidrange
 * operator (poppler warned "Invalid 'begincidrange' operator in ToUnicode
 * CMap"), and the symbols drawn are mapped. */
Test(pdf, tounicode_streams_map_the_symbols_drawn)
{
	pdf_doc *d = doc();
	/* Uncompressed streams for the faces loaded from now on (the bold
	 * one: the regular face is loaded by pdf_new). */
	HPDF_SetCompressionMode(d->h, HPDF_COMP_NONE);
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	pdf_para_add(&p, "✓ Green ✗ Red – “quoted” £5 Zoë", PF_BOLD, NHS_TEXT);
	pdf_para_flow(d, &p);
	pdf_para_free(&p);
	buf out = {0};
	char err[256];
	cr_assert_eq(pdf_finish(d, &out, NULL, err, sizeof err), 0, "%s", err);
	cr_assert(!has_bytes(&out, "begincidrange"));
	cr_assert(has_bytes(&out, "beginbfrange"));
	static const char *const want[] = {"<2713> <2713> <2713>", "<2717> <2717> <2717>", "<2013> <2013> <2013>",
					   "<201C> <201D> <201C>", "<00A3> <00A3> <00A3>", "<00EB> <00EB> <00EB>"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect(has_bytes(&out, want[i]), "no %s", want[i]);
	buf_free(&out);
}
