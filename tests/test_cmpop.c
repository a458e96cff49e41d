/* The one set of comparison operators (util/cmpop.h) the data tests'
 * expr(), the template filters and the risk rules share. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "util/cmpop.h"

static const cmp_op all[CMP_COUNT] = {CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE};

/* The operator s starts with, or -1; *len its length. */
static int parse(const char *s, unsigned eq, size_t *len)
{
	cmp_op op = CMP_EQ;
	*len = cmp_op_parse(s, strlen(s), eq, &op);
	return *len ? (int)op : -1;
}

static void expect_parse(const char *s, unsigned eq, int want, size_t want_len)
{
	size_t len;
	int got = parse(s, eq, &len);
	cr_expect_eq(got, want, "operator of [%s] (eq %u): %d, want %d", s, eq, got, want);
	cr_expect_eq(len, want_len, "length of [%s] (eq %u): %zu, want %zu", s, eq, len, want_len);
}

Test(cmpop, parse_each_operator)
{
	expect_parse(">= 80", CMP_EQ2, CMP_GE, 2);
	expect_parse("> 80", CMP_EQ2, CMP_GT, 1);
	expect_parse("<= 80", CMP_EQ2, CMP_LE, 2);
	expect_parse("< 80", CMP_EQ2, CMP_LT, 1);
	expect_parse("== 80", CMP_EQ2, CMP_EQ, 2);
	expect_parse("!= 80", CMP_EQ2, CMP_NE, 2);
	expect_parse("= 80", CMP_EQ1, CMP_EQ, 1);
}

Test(cmpop, longest_match_first)
{
	expect_parse(">=80", CMP_EQ2, CMP_GE, 2);
	expect_parse("<=x", CMP_EQ2, CMP_LE, 2);
	expect_parse(">>", CMP_EQ2, CMP_GT, 1);
	expect_parse("<>", CMP_EQ2, CMP_LT, 1);
	/* Both spellings of equality: "==" is one operator, not "=" twice. */
	expect_parse("==1", CMP_EQ1 | CMP_EQ2, CMP_EQ, 2);
	expect_parse("=1", CMP_EQ1 | CMP_EQ2, CMP_EQ, 1);
	expect_parse("=<1", CMP_EQ1 | CMP_EQ2, CMP_EQ, 1);
	/* Risk rules take "=" only: "==" reads as "=" and the caller, which
	 * wants the whole token, rejects it by its length. */
	expect_parse("==", CMP_EQ1, CMP_EQ, 1);
}

Test(cmpop, rejects)
{
	expect_parse("", CMP_EQ1 | CMP_EQ2, -1, 0);
	expect_parse("a >= b", CMP_EQ1 | CMP_EQ2, -1, 0);
	expect_parse(" >=", CMP_EQ1 | CMP_EQ2, -1, 0);
	expect_parse("!", CMP_EQ1 | CMP_EQ2, -1, 0);
	expect_parse("! =", CMP_EQ1 | CMP_EQ2, -1, 0);
	expect_parse("=>", CMP_EQ2, -1, 0);
	/* The data tests write "==": a single "=" is not theirs. */
	expect_parse("= 1", CMP_EQ2, -1, 0);
	expect_parse("=", 0, -1, 0);
	/* n bounds the text: ">=" cut to one character is ">". */
	cmp_op op;
	cr_expect_eq(cmp_op_parse(">=", 1, CMP_EQ2, &op), 1);
	cr_expect_eq(op, CMP_GT);
	cr_expect_eq(cmp_op_parse("==", 1, CMP_EQ2, &op), 0);
	cr_expect_eq(cmp_op_parse(">", 0, CMP_EQ2, &op), 0);
}

Test(cmpop, text_round_trip)
{
	cr_expect_str_eq(cmp_op_text(CMP_EQ, CMP_EQ2), "==");
	cr_expect_str_eq(cmp_op_text(CMP_EQ, CMP_EQ1), "=");
	cr_expect_str_eq(cmp_op_text(CMP_NE, CMP_EQ1), "!=");
	cr_expect_str_eq(cmp_op_text(CMP_GE, CMP_EQ2), ">=");
	cr_expect_str_eq(cmp_op_text(CMP_LT, CMP_EQ1), "<");
	const unsigned eqs[] = {CMP_EQ1, CMP_EQ2};
	for (int e = 0; e < 2; e++)
		for (int i = 0; i < CMP_COUNT; i++) {
			const char *t = cmp_op_text(all[i], eqs[e]);
			size_t len;
			cr_expect_eq(parse(t, eqs[e], &len), (int)all[i], "[%s]", t);
			cr_expect_eq(len, strlen(t), "[%s]", t);
		}
}

Test(cmpop, holds_on_numbers)
{
	/* want[op] for 1 OP 2, 2 OP 2, 3 OP 2 */
	static const int want[CMP_COUNT][3] = {
		[CMP_EQ] = {0, 1, 0}, [CMP_NE] = {1, 0, 1}, [CMP_LT] = {1, 0, 0},
		[CMP_LE] = {1, 1, 0}, [CMP_GT] = {0, 0, 1}, [CMP_GE] = {0, 1, 1},
	};
	for (int i = 0; i < CMP_COUNT; i++)
		for (int a = 1; a <= 3; a++) {
			cr_expect_eq(cmp_holds(all[i], a, 2), want[all[i]][a - 1], "%d %s 2", a,
				     cmp_op_text(all[i], CMP_EQ2));
			cr_expect_eq(cmp_holds_order(all[i], (a > 2) - (a < 2)), want[all[i]][a - 1], "order %d %s 2",
				     a, cmp_op_text(all[i], CMP_EQ2));
		}
	cr_expect(cmp_holds(CMP_GE, -0.0, 0.0));
	cr_expect(cmp_holds(CMP_LT, -INFINITY, -1e308));
}

/* expr() checks literals it could not read as NaN, and the risk score
 * compares numbers: with a NaN on either side only != holds. */
Test(cmpop, nan_holds_only_for_not_equal)
{
	for (int i = 0; i < CMP_COUNT; i++) {
		int want = all[i] == CMP_NE;
		cr_expect_eq(cmp_holds(all[i], NAN, 1), want, "NaN %s 1", cmp_op_text(all[i], CMP_EQ2));
		cr_expect_eq(cmp_holds(all[i], 1, NAN), want, "1 %s NaN", cmp_op_text(all[i], CMP_EQ2));
		cr_expect_eq(cmp_holds(all[i], NAN, NAN), want, "NaN %s NaN", cmp_op_text(all[i], CMP_EQ2));
	}
}

/* The filters order text with strcmp. */
Test(cmpop, holds_on_strings)
{
	cr_expect(cmp_holds_order(CMP_LT, strcmp("P1a", "P2")));
	cr_expect(cmp_holds_order(CMP_GE, strcmp("b", "a")));
	cr_expect(cmp_holds_order(CMP_LE, strcmp("a", "a")));
	cr_expect(!cmp_holds_order(CMP_GT, strcmp("a", "a")));
	cr_expect(cmp_holds_order(CMP_NE, strcmp("a", "ab")));
	cr_expect(cmp_holds_order(CMP_EQ, strcmp("", "")));
}
