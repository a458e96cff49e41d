#include "render/disclosure.h"
#include <math.h>
#include <string.h>

int64_t sdc_round(int64_t n)
{
	if (n == INT64_MIN || n == SDC_STAR || n == 0)
		return n;
	int64_t m = n < 0 ? -n : n;
	if (m <= 7)
		return SDC_STAR;
	m = (m + 2) / 5 * 5; /* integers never tie, so "+2" is round-half-up */
	return n < 0 ? -m : m;
}

int sdc_pct(int64_t num, int64_t den, double *pct)
{
	int64_t a = sdc_round(num), b = sdc_round(den);
	*pct = NAN;
	if (a == SDC_STAR || b == SDC_STAR)
		return 1;
	if (b == 0 || a == INT64_MIN || b == INT64_MIN)
		return 0;
	*pct = 100.0 * (double)a / (double)b;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int sdc_identifier(const char *col)
{
	if (!strcmp(col, "site_id"))
		return 0;
	return ends_with(col, "_id") || !strcmp(col, "birth_date") || !strcmp(col, "death_date");
}

int sdc_exempt(const char *col)
{
	static const char *const names[] = {"planned_slots", "planned_slots_13w", "sessions_planned",
					    "sessions_cancelled", "rank", "sites", NULL};
	for (const char *const *p = names; *p; p++)
		if (!strcmp(col, *p))
			return 1;
	return ends_with(col, "_order");
}

int sdc_geographic(const char *col)
{
	return !strncmp(col, "site_", 5) || !strncmp(col, "trust_", 6) || !strncmp(col, "ics_", 4) ||
	       !strcmp(col, "consultant_id") || !strcmp(col, "provider_id");
}
