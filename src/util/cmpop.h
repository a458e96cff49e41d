/* The one set of comparison operators: the data tests' expr() (check/),
 * the template filters (template/template.c, query.c) and the risk rules'
 * points lines (models/rules/risk_rules.c) all read, print and evaluate these.
 *
 * Equality has two spellings: the data tests write "==", the risk rules
 * "=", and the filters take either. The caller says which it accepts when
 * parsing and which it prints; the other five are spelled one way.
 *
 * Nulls are the callers' business, as each treats them differently:
 *   - expr(): a row with a null operand is not checked (it passes);
 *   - filters: "= null" / "!= null" test for null, a null never equals a
 *     value, and <, <=, >, >= never hold with a null on either side;
 *   - risk rules: a factor that is not known for a patient matches no rule.
 * What is left here is the comparison of two present values. */
#ifndef MM_CMPOP_H
#define MM_CMPOP_H
#include <stddef.h>

typedef enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } cmp_op;
#define CMP_COUNT 6

/* Spellings of equality, as a set for cmp_op_parse and one of them for
 * cmp_op_text. */
enum { CMP_EQ2 = 1, CMP_EQ1 = 2 };

/* The operator at the start of s[0..n), the longest that fits (">=" before
 * ">", "==" before "="), equality only in the spellings eq allows. Returns
 * its length and sets *op, or 0 when s does not start with one. */
size_t cmp_op_parse(const char *s, size_t n, unsigned eq, cmp_op *op);
/* The text of op, equality spelled "==" (CMP_EQ2) or "=" (CMP_EQ1). */
const char *cmp_op_text(cmp_op op, unsigned eq);
/* Whether a OP b holds, by IEEE rules: with a NaN on either side only !=
 * holds. */
int cmp_holds(cmp_op op, double a, double b);
/* Whether OP holds given a three-way comparison: cmp < 0, 0 or > 0 as the
 * left side orders before, with or after the right (strcmp's result). */
int cmp_holds_order(cmp_op op, int cmp);

#endif
