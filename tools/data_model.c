/* medimart-diagram: writes the data-model diagram as a standalone SVG file
 * (`make docs` writes docs/data_model.svg).
 *
 *	medimart-diagram [--links PREFIX] OUT.svg
 *
 * With --links, boxes link to "<PREFIX>models/<name>.html" and
 * "<PREFIX>sources/<name>.html" (e.g. --links ../site/ next to a built
 * site); without, the file is a plain picture, as in docs/. */
#include "draw/chart.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *links = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--links") == 0 && i + 1 < argc)
			links = argv[++i];
		else if (argv[i][0] != '-' && !out)
			out = argv[i];
		else
			out = NULL, i = argc;
	}
	if (!out) {
		fprintf(stderr, "usage: medimart-diagram [--links PREFIX] OUT.svg\n");
		return 2;
	}
	chart *c = data_model_diagram(links);
	buf b = {0};
	chart_svg_document(c, &b);
	int rc = buf_write_file(&b, out);
	if (rc != 0)
		fprintf(stderr, "medimart: %s: error: cannot write: %s\n", out, strerror(errno));
	buf_free(&b);
	chart_free(c);
	return rc ? 1 : 0;
}
