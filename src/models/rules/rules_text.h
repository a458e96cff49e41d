/* The rules of the rules file (data/risk_rules.txt) in words, so that every
 * published sentence that states a rule (the grace period, a priority's
 * target, a points value, a tier's cut-off) is written from the file that
 * scored the patients and cannot fall behind it. Pages, packs and the KPI
 * definitions use the inline form {{rule:KEY}} or {{rule:KEY:FORM}}
 * (docs/templates.md):
 *
 *   breach.rtt_days, breach.grace_days, target.P1a .. target.P4
 *       a duration: "1 week", "2 weeks", "10 days", "1 day"
 *   points.FACTOR            every points line of the factor, in file order:
 *                            "aged 80 or over: 3 points; aged 65 or over: 2 points"
 *   points.FACTOR.N          its N-th line (1-based): "aged 80 or over: 3 points"
 *   points.FACTOR.N.value    the line's threshold as written: "80"
 *   points.FACTOR.N.points   the line's points: "3 points"
 *   points.FACTOR.N.test     the line's condition: "aged 80 or over"
 *   tier.High|Medium|Low     the tier's lowest score: "a score of 7 or more"
 *   WORD.NAME                any other one-per-name line ("minimum
 *                            response_appointments 3", "tier P1a High"):
 *                            its value as written; a duration in words
 *                            when NAME ends in _days
 *
 * FORM: days ("126 days"), weeks ("18 weeks", "1.4 weeks") and weeks-number
 * ("18") for durations; number, the bare number as written ("126", "80",
 * "3", "7"), for any rule. */
#ifndef MM_RULES_TEXT_H
#define MM_RULES_TEXT_H
#include <stddef.h>
#include "models/rules/risk_rules.h"

#define RULES_TEXT_MAX 512

/* A number of days in words: "0 days", "1 day", "1 week", "2 weeks",
 * "10 days" (weeks when it is a whole number of them). */
void rules_duration_words(int days, char *out, size_t n);

/* The words of spec ("KEY" or "KEY:FORM", as written after "rule:") into
 * out. Returns 0; -1 when the rules have no such key; -2 when the key is
 * known but takes no such form. On error out holds the reason, a
 * sentence naming the keys there are. r may be NULL (then every key is
 * unknown). */
int rules_words(const struct risk_rules *r, const char *spec, char *out, size_t n);

/* s with every {{rule:...}} replaced by its words; placeholders that do
 * not resolve are left as written. Other {{...}} are kept. Caller frees. */
char *rules_expand(const struct risk_rules *r, const char *s);

#endif
