/* Statistical disclosure control for published (board) output, after the
 * NHS Digital method for HES: counts of 1-7 are shown as "*", other counts
 * are rounded to the nearest 5, 0 stays 0, and rates are computed from the
 * rounded numerator and denominator. Every level is controlled, national
 * figures included, so that no exact total can be differenced against its
 * parts (docs/disclosure.md). Also the column rules that keep identifiers
 * and identifying values out of board output, and the ledger of published
 * figures that tests/sdc_check.sh audits. */
#ifndef MM_DISCLOSURE_H
#define MM_DISCLOSURE_H
#include <stdint.h>
#include "registry/model.h"

/* A count that must not be shown: rendered as "*". */
#define SDC_STAR (INT64_MIN + 1)
/* A "*" that may also stand for 0: in a listing whose count column shows a
 * "*", its zeros show as "*" too (the ledger writes "*0"). */
#define SDC_STAR_OR_ZERO (INT64_MIN + 2)

/* The small-number rule in one place: a count of 1 to SDC_SMALL_MAX
 * persons or events is never shown, nor a statistic (median, percentile,
 * mean) computed from that few values (docs/disclosure.md). */
#define SDC_SMALL_MAX 7
/* Whether n (a count, or the number of values behind a statistic) is
 * small: 1 to SDC_SMALL_MAX. */
static inline int sdc_small(int64_t n) { return n >= 1 && n <= SDC_SMALL_MAX; }

/* 0 -> 0, 1..7 -> SDC_STAR, otherwise the nearest multiple of 5 (negative
 * differences keep their sign). INT64_MIN (null) stays null. */
int64_t sdc_round(int64_t n);
/* 100 * num / den from the rounded figures into *pct. Returns 1 when the
 * rate must be suppressed (either figure is 1-7), else 0; *pct is NAN when
 * the rounded denominator is 0. */
int sdc_pct(int64_t num, int64_t den, double *pct);

/* Whether the top level of a build (all areas, "national") is exempt from
 * the small-area rule for the rates and statistics it publishes exactly
 * (the percentages, medians and percentiles of kpi_summary), by its
 * population: the open pathways of the whole build. Exempt only from
 * SDC_TOP_LEVEL_MIN pathways: below that a build over one Trust or a small
 * export is a small area, whatever its top level is called, and those
 * figures follow the rule of every other area. Counts are never exempt,
 * at any level or population. See docs/disclosure.md. */
#define SDC_TOP_LEVEL_MIN 1000
int sdc_top_level_exempt(int64_t population);

/* What the board may see of a column, decided from its declared role
 * (registry/model.h) and never from its name: the one place where a
 * role's meaning for published output is set.
 *
 * A column without a declared role (CR_UNSET: a table made without a
 * declaration, or a column its declaration does not list) is taken as
 * the most restrictive of all: an identifier, below national level, and
 * refused. What it would disclose is unknown, and a guess from its name
 * could publish a count of people exactly or show an identifier that a
 * misleading name hides; refusing it costs only a declaration. */

/* Identifiers (person, record or clinician), and undeclared columns, are
 * never shown to the board. */
int sdc_role_identifier(col_role r);
/* Breaks figures down below national level: sites, Trusts, ICSs,
 * clinicians; and undeclared columns. */
int sdc_role_geographic(col_role r);
/* Counts people or events when summed (counts, and flags summed):
 * rounded and suppressed. */
int sdc_role_counted(col_role r);
/* Figures published exactly: counts that disclose no one, scores and
 * durations. */
int sdc_role_exact(col_role r);
/* Figures derived from counts (percentages, ratios, medians, gaps):
 * hidden beside a suppressed count in the same row. */
int sdc_role_derived(col_role r);
/* Why values of this role may not be grouped, filtered, sorted or measured
 * by in board output (dates of birth and death, small areas, no declared
 * role: SDC_UNDECLARED), or NULL. */
#define SDC_UNDECLARED "no role is declared for it, so what it would disclose is unknown"
const char *sdc_role_refused(col_role r, mm_type type);

/* The ledger: when the environment variable MM_SDC_LEDGER names a file,
 * every count published under disclosure control is appended to it, one
 * line each: "model<TAB>measure<TAB>terms<TAB>shown<TAB>whole", where
 * terms are the sorted restrictions that define the cell ("d:col=value"
 * for an equality that could be differenced, "r:col=value" for the keys
 * of a row shown as it is, "f:..." for other filters, joined by ";"),
 * shown is the figure as published ("*" or a number) and whole names the
 * columns (joined by ",", "-" for none) over which the cell's siblings are
 * all published: the group columns of a listing no limit cut, and the key
 * of the page's entity (every entity has a page). tests/sdc_check.sh
 * reads it. */
int sdc_ledger_on(void);
void sdc_ledger(const char *model, const char *measure, const char *terms, int64_t shown, const char *whole);

#endif
