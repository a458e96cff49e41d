#include "models/staging/stg_util.h"
#include "util/date.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

void stg_index(const mm_table *t, int c, hmap *m)
{
	hmap_init(m, t->nrows);
	for (size_t r = t->nrows; r-- > 0;) {
		uint32_t id = tbl_sid(t, c, r);
		if (id)
			hmap_put(m, id, (uint32_t)r); /* walking backwards: the first row wins */
	}
}

uint32_t stg_sid(strpool *sp, const char *s)
{
	return sp_intern_cstr(sp, s);
}

uint32_t stg_sid_find(const strpool *sp, const char *s)
{
	uint32_t id = sp_find(sp, s, strlen(s));
	return id == UINT32_MAX ? 0 : id;
}

int stg_age_years(int32_t birth, int32_t day)
{
	int by, bm, bd, y, m, d;
	if (day < birth)
		return -1;
	civil_from_days(birth, &by, &bm, &bd);
	civil_from_days(day, &y, &m, &d);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int32_t stg_monday(int32_t day)
{
	/* 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays. */
	int32_t dow = (int32_t)((((int64_t)day + 3) % 7 + 7) % 7);
	return day - dow;
}

int32_t stg_add_months(int32_t day, int k)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	int t = y * 12 + (m - 1) + k;
	int ny = t >= 0 ? t / 12 : -((-t + 11) / 12);
	int nm = t - ny * 12 + 1;
	int dim = days_in_month(ny, nm);
	return days_from_civil(ny, nm, d < dim ? d : dim);
}

void stg_upper(const char *s, char *out, size_t n)
{
	size_t j = 0;
	int blank = 0;
	if (!n)
		return;
	while (*s && isspace((unsigned char)*s))
		s++;
	for (; *s && j + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (isspace(c)) {
			blank = 1;
			continue;
		}
		if (blank && j + 2 < n)
			out[j++] = ' ';
		blank = 0;
		out[j++] = (char)toupper(c);
	}
	out[j] = '\0';
}

static int is_joining_word(const char *w, size_t len)
{
	static const char *const small[] = {"and", "of", "the", "for", "in", "with", "to", "or", NULL};
	for (const char *const *p = small; *p; p++)
		if (strlen(*p) == len && strncasecmp(w, *p, len) == 0)
			return 1;
	return 0;
}

void stg_title_case(const char *s, char *out, size_t n)
{
	stg_upper(s, out, n);
	int first_word = 1;
	for (char *w = out; *w;) {
		size_t len = 0;
		while (w[len] && isalpha((unsigned char)w[len]))
			len++;
		if (len) {
			int lower_all = !first_word && is_joining_word(w, len);
			for (size_t i = lower_all ? 0 : 1; i < len; i++)
				w[i] = (char)tolower((unsigned char)w[i]);
			first_word = 0;
			w += len;
		} else {
			w++;
		}
	}
}

int stg_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}
