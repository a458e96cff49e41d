/* The frame of the site's data tables (see htmltable.h). */
#include "out/html/htmltable.h"

void ht_open(buf *b, const char *id, const char *classes, const char *caption)
{
	buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"");
	buf_put_html(b, id);
	buf_puts(b, "\" tabindex=\"0\">\n<table class=\"");
	buf_put_html(b, classes);
	buf_puts(b, "\">\n<caption id=\"");
	buf_put_html(b, id);
	buf_puts(b, "\">");
	buf_put_html(b, caption);
	buf_puts(b, "</caption>\n");
}

void ht_close(buf *b)
{
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

void ht_region_open(buf *b, const char *label)
{
	buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-label=\"");
	buf_put_html(b, label);
	buf_puts(b, "\" tabindex=\"0\">\n");
}

void ht_region_close(buf *b)
{
	buf_puts(b, "</div>\n");
}

void ht_head(buf *b)
{
	buf_puts(b, "<thead><tr>");
}

void ht_body(buf *b)
{
	buf_puts(b, "</tr></thead>\n<tbody>\n");
}

/* <th scope="col" class="CLS" without its end. */
static void col_open(buf *b, const char *cls)
{
	buf_puts(b, "<th scope=\"col\"");
	if (cls) {
		buf_puts(b, " class=\"");
		buf_put_html(b, cls);
		buf_putc(b, '"');
	}
}

static void end_cell(buf *b, const char *text, const char *tag)
{
	buf_putc(b, '>');
	buf_put_html(b, text);
	buf_printf(b, "</%s>", tag);
}

void ht_col(buf *b, const char *text, const char *cls)
{
	col_open(b, cls);
	end_cell(b, text, "th");
}

void ht_col_attr(buf *b, const char *text, const char *cls, const char *name, const char *value)
{
	col_open(b, cls);
	buf_printf(b, " %s=\"", name);
	buf_put_html(b, value);
	buf_putc(b, '"');
	end_cell(b, text, "th");
}

void ht_row(buf *b)
{
	buf_puts(b, "<tr>");
}

void ht_row_end(buf *b)
{
	buf_puts(b, "</tr>\n");
}

void ht_rowhead(buf *b, const char *text)
{
	buf_puts(b, "<th scope=\"row\"");
	end_cell(b, text, "th");
}

void ht_cell(buf *b, const char *text, const char *cls)
{
	buf_puts(b, "<td");
	if (cls) {
		buf_puts(b, " class=\"");
		buf_put_html(b, cls);
		buf_putc(b, '"');
	}
	end_cell(b, text, "td");
}
