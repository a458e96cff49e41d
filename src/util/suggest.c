/* "Did you mean" (suggest.h). */
#include "util/suggest.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Levenshtein distance over one row; row holds strlen(b) + 1 entries. */
static size_t edit_distance(const char *a, const char *b, size_t *row)
{
	size_t n = strlen(b);
	for (size_t j = 0; j <= n; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= n; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[n];
}

int suggest_nearest(const char *word, const char *const *names, int n, size_t max_edits)
{
	size_t len = strlen(word), cap = 0, *row = NULL;
	size_t best = max_edits < (size_t)-1 ? max_edits + 1 : max_edits;
	int bi = -1;
	for (int i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		/* The lengths alone already differ by more than the best so far. */
		if ((nl > len ? nl - len : len - nl) >= best)
			continue;
		if (nl + 1 > cap)
			row = xrealloc(row, (cap = nl + 1) * sizeof *row);
		size_t d = edit_distance(word, names[i], row);
		if (d < best) {
			best = d;
			bi = i;
		}
	}
	free(row);
	return bi;
}
