#include "util/cmpop.h"

#include <string.h>

/* Longer spellings first, so ">=" is not read as ">" nor "==" as "=". */
static const struct {
	const char *text;
	cmp_op op;
	unsigned eq; /* for equality: which spelling this is */
} spellings[] = {
	{">=", CMP_GE, 0}, {"<=", CMP_LE, 0}, {"==", CMP_EQ, CMP_EQ2}, {"!=", CMP_NE, 0},
	{">", CMP_GT, 0},  {"<", CMP_LT, 0},  {"=", CMP_EQ, CMP_EQ1},
};

size_t cmp_op_parse(const char *s, size_t n, unsigned eq, cmp_op *op)
{
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		size_t k = strlen(spellings[i].text);
		if (spellings[i].eq && !(spellings[i].eq & eq))
			continue;
		if (k <= n && !memcmp(s, spellings[i].text, k)) {
			*op = spellings[i].op;
			return k;
		}
	}
	return 0;
}

const char *cmp_op_text(cmp_op op, unsigned eq)
{
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		if (spellings[i].op == op && (!spellings[i].eq || spellings[i].eq == eq))
			return spellings[i].text;
	return "?";
}

int cmp_holds(cmp_op op, double a, double b)
{
	switch (op) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	}
	return 0;
}

int cmp_holds_order(cmp_op op, int cmp)
{
	switch (op) {
	case CMP_EQ: return cmp == 0;
	case CMP_NE: return cmp != 0;
	case CMP_LT: return cmp < 0;
	case CMP_LE: return cmp <= 0;
	case CMP_GT: return cmp > 0;
	case CMP_GE: return cmp >= 0;
	}
	return 0;
}
