/* Display formatting for the site and the downloads: numbers with
 * thousands separators, percentages, NHS-style dates. Every function writes
 * a NUL-terminated string into out (FMT_MAX bytes) and returns out. */
#ifndef MM_FORMAT_H
#define MM_FORMAT_H
#include <stdint.h>

#define FMT_MAX 160 /* room for a recorded reason and its marker */

/* 1234567 -> "1,234,567"; INT_NULL -> "". */
const char *fmt_int(char *out, int64_t v);
/* 1234.56, 1 -> "1,234.6"; NAN -> "". */
const char *fmt_num(char *out, double v, int decimals);
/* A percentage already scaled 0..100: 61.234, 1 -> "61.2%"; NAN -> "". */
const char *fmt_pct(char *out, double pct, int decimals);
/* "30 September 2025"; DATE_NULL -> "". */
const char *fmt_date_long(char *out, int32_t days);
/* "30 Sep 2025"; DATE_NULL -> "". */
const char *fmt_date_short(char *out, int32_t days);

#endif
