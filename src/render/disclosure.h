/* Statistical disclosure control for published (board) output, after the
 * NHS Digital method for HES: below national level counts of 1-7 are shown
 * as "*", other counts are rounded to the nearest 5, 0 stays 0, and rates
 * are computed from the rounded numerator and denominator. National totals
 * are exact. Also the column rules that keep identifiers out of board output. */
#ifndef MM_DISCLOSURE_H
#define MM_DISCLOSURE_H
#include <stdint.h>

/* A count that must not be shown: rendered as "*". */
#define SDC_STAR (INT64_MIN + 1)

/* 0 -> 0, 1..7 -> SDC_STAR, otherwise the nearest multiple of 5 (negative
 * differences keep their sign). INT64_MIN (null) stays null. */
int64_t sdc_round(int64_t n);
/* 100 * num / den from the rounded figures into *pct. Returns 1 when the
 * rate must be suppressed (either figure is 1-7), else 0; *pct is NAN when
 * the rounded denominator is 0. */
int sdc_pct(int64_t num, int64_t den, double *pct);

/* Columns that identify a person: any name ending in "_id" except site_id,
 * plus birth_date and death_date. Never emitted for the board audience. */
int sdc_identifier(const char *col);
/* Counts that are not about individuals (slots, sessions, ranks): exact. */
int sdc_exempt(const char *col);
/* Columns that break figures down below national level: sites, Trusts,
 * ICSs, consultants. */
int sdc_geographic(const char *col);

#endif
