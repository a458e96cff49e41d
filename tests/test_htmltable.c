/* The data-table frame (out/html/htmltable.h) escapes every text it is given. */
#include <criterion/criterion.h>
#include <string.h>
#include "out/html/htmltable.h"

static void expect_text(buf *b, const char *want)
{
	cr_expect_str_eq(b->s, want);
	buf_free(b);
}

Test(htmltable, frame_and_caption)
{
	buf b = {0};
	ht_open(&b, "t-1", "data sortable", "Waits <18 weeks> & \"more\"");
	ht_head(&b);
	ht_col(&b, "A&B", NULL);
	ht_col_attr(&b, "<Trust>", "num", "data-filter", "x\"y");
	ht_body(&b);
	ht_row(&b);
	ht_rowhead(&b, "<script>");
	ht_cell(&b, "1 < 2", "num");
	ht_row_end(&b);
	ht_close(&b);
	expect_text(&b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"t-1\" tabindex=\"0\">\n"
			"<table class=\"data sortable\">\n<caption id=\"t-1\">Waits &lt;18 weeks&gt; &amp; &quot;more&quot;"
			"</caption>\n<thead><tr><th scope=\"col\">A&amp;B</th><th scope=\"col\" class=\"num\" "
			"data-filter=\"x&quot;y\">&lt;Trust&gt;</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\">"
			"&lt;script&gt;</th><td class=\"num\">1 &lt; 2</td></tr>\n</tbody>\n</table>\n</div>\n");
}

Test(htmltable, region_label)
{
	buf b = {0};
	ht_region_open(&b, "Beds \"&\" chairs");
	ht_region_close(&b);
	expect_text(&b, "<div class=\"table-wrap\" role=\"region\" aria-label=\"Beds &quot;&amp;&quot; chairs\" "
			"tabindex=\"0\">\n</div>\n");
}
