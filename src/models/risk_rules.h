/* The risk model's rules, read from a plain-text file a clinical lead can
 * edit (data/risk_rules.txt). */
#ifndef MM_RISK_RULES_H
#define MM_RISK_RULES_H

struct risk_rules;

/* Parses path. Returns NULL after printing
 * "medimart: FILE:LINE:COL: error: ..." when the file is bad. Caller frees. */
struct risk_rules *risk_rules_load(const char *path);
void risk_rules_free(struct risk_rules *r);

#endif
