#include "registry/disclosure.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int64_t sdc_round(int64_t n)
{
	if (n == INT64_MIN || n == SDC_STAR || n == 0)
		return n;
	int64_t m = n < 0 ? -n : n;
	if (sdc_small(m))
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

int sdc_top_level_exempt(int64_t population)
{
	return population != INT64_MIN && population >= SDC_TOP_LEVEL_MIN;
}

static FILE *ledger;
static int ledger_state; /* 0 not looked at, 1 open, -1 off */

int sdc_ledger_on(void)
{
	if (ledger_state == 0) {
		const char *path = getenv("MM_SDC_LEDGER");
		ledger = path && *path ? fopen(path, "a") : NULL;
		ledger_state = ledger ? 1 : -1;
	}
	return ledger_state == 1;
}

static void put_clean(const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, ledger);
}

void sdc_ledger(const char *model, const char *measure, const char *terms, int64_t shown, const char *whole)
{
	if (!sdc_ledger_on())
		return;
	put_clean(model);
	fputc('\t', ledger);
	put_clean(measure);
	fputc('\t', ledger);
	put_clean(terms);
	if (shown == SDC_STAR)
		fputs("\t*\t", ledger);
	else if (shown == SDC_STAR_OR_ZERO)
		fputs("\t*0\t", ledger);
	else
		fprintf(ledger, "\t%lld\t", (long long)shown);
	put_clean(whole && *whole ? whole : "-");
	fputc('\n', ledger);
	fflush(ledger);
}

int sdc_role_identifier(col_role r)
{
	return r == CR_UNSET || r == CR_ID || r == CR_CLINICIAN;
}

int sdc_role_geographic(col_role r)
{
	return r == CR_UNSET || r == CR_GEO || r == CR_CLINICIAN;
}

int sdc_role_counted(col_role r)
{
	return r == CR_PERSONS || r == CR_EVENTS || r == CR_FLAG;
}

int sdc_role_exact(col_role r)
{
	return r == CR_EXACT || r == CR_SCORE || r == CR_DAYS || r == CR_WEEKS || r == CR_YEARS;
}

int sdc_role_derived(col_role r)
{
	return r == CR_PCT || r == CR_RATIO || r == CR_MEASURE;
}

const char *sdc_role_refused(col_role r, mm_type type)
{
	if (r == CR_UNSET)
		return SDC_UNDECLARED;
	if (r == CR_ID && (type == T_DATE || type == T_TS))
		return "a date of birth or death is one person's";
	if (r == CR_AREA)
		return "a small area of residence singles out the few people who live there";
	return NULL;
}
